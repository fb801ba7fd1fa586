"""The Jinja2 environment of the HTML views: templates are files beside this module, always autoescaped."""

from __future__ import annotations

import functools
from typing import Any

from . import words
from .extras import require

__all__ = ["render"]


@functools.lru_cache(maxsize=1)
def _environment() -> Any:
    jinja2 = require("jinja2", "an HTML view")
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("lif_rules.views", "templates"),
        autoescape=True,  # every text from a pack is escaped, whatever the template's name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(long_date=words.long_date, short_date=words.short_date, sentence=words.sentence,
                       humanise=words.humanise)
    return env


def render(template: str, **context: Any) -> str:
    """Render ``templates/<template>`` with ``context``."""
    text: str = _environment().get_template(template).render(**context)
    return text
