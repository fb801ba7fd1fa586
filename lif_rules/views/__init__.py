"""Views: what people look at, made from public result models or a loaded pack.

A schedule as an iCalendar file (:func:`schedule_ics`, also ``Schedule.to_ical()``), as CSV rows
for a spreadsheet (:func:`schedule_csv`) or as an HTML timeline (:func:`timeline_html`), and a pack
as an HTML document for a partnership board (:func:`pack_html`).

They need the ``views`` extra (``pip install "lif_rules[views]"``: icalendar and Jinja2); without
it they raise :class:`MissingExtraError`, which says what to install. Importing this package does
not import either.
"""

from __future__ import annotations

from .document import pack_html
from .extras import MissingExtraError
from .ical import schedule_ics
from .table import schedule_csv
from .timeline import timeline_html

__all__ = ["schedule_ics", "schedule_csv", "timeline_html", "pack_html", "MissingExtraError"]
