"""The document settings every notice honours (设置 → 公文与字体), read in one place.

`documents.header_style` is the one 版头 setting of every notice: red (红头 drawn), preprinted (套打: the top of
the page is left free for preprinted 红头纸, down to `documents.preprinted_top_mm`), plain (no 版头) or letter
(信函格式). Databases written before it existed may hold the old `clarification.header_style`; it is honoured
only while `documents.header_style` was never saved.
"""
from __future__ import annotations

from typing import Any, Mapping

from sqlalchemy.orm import Session

from models.core import settings_store

HEADERS = ("red", "preprinted", "plain", "letter")
PREPRINTED_TOP_MM = 100.0  # default: from the top edge of the paper to the red line of the preprinted 红头纸


HEADER_KEYS = ("documents.header_style", "clarification.header_style")
PREPRINTED_KEY = "documents.preprinted_top_mm"


def header_style(session: Session, saved: Mapping[str, Any] | None = None) -> str:
    """The 版头 setting; `saved` is settings_store.stored() of at least HEADER_KEYS when the caller read them."""
    if saved is None:
        saved = settings_store.stored(session, HEADER_KEYS)
    if "documents.header_style" in saved:
        value = saved["documents.header_style"]
    elif "clarification.header_style" in saved:
        value = saved["clarification.header_style"]
    else:
        value = settings_store.DEFAULTS.get("documents.header_style")
    return value if value in HEADERS else "red"


def preprinted_top_mm(session: Session, saved: Mapping[str, Any] | None = None) -> float:
    if saved is None:
        saved = settings_store.stored(session, (PREPRINTED_KEY,))
    try:
        value = float(settings_store.value_of(saved, PREPRINTED_KEY, PREPRINTED_TOP_MM))
    except (TypeError, ValueError):
        return PREPRINTED_TOP_MM
    return value if 40.0 <= value <= 150.0 else PREPRINTED_TOP_MM


def duplex(session: Session) -> bool:
    """Printed on both sides: in a batch every document starts on an odd page (a blank back is added)."""
    return bool(settings_store.get(session, "documents.duplex", False))
