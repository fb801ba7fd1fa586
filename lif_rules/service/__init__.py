"""The decision service, ``lif-rules serve``: the library's answers over HTTP with JSON.

Needs the ``server`` extra (``pip install "lif_rules[server]"``); ``import lif_rules`` never imports it.
"""

from __future__ import annotations

from .app import ENDPOINTS, create_app
from .reading import MAX_BODY_BYTES

__all__ = ["create_app", "ENDPOINTS", "MAX_BODY_BYTES"]
