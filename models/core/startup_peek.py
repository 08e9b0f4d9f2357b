"""Which first window a start needs — login or first run — read before SQLAlchemy is loaded (issue 21).

The GUI shows its first window with Qt alone and opens the database behind it (gui/startup.py). To choose the
window it asks this module, which needs only the standard library: one read-only sqlite3 query on a plain SQLite
file. It runs before the program has any connection to the file, so its own open and close cannot drop a lock
of ours (models/core/connected_files.py, "Lock safety"). Anything it cannot tell for sure — a PostgreSQL URL, an encrypted or
damaged or empty file — is UNKNOWN: the start then opens the database first, as before, and lets that path give
its messages (passphrase, refusal).
"""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from models.core.paths import default_db_path

LOGIN, FIRST_RUN, UNKNOWN = "login", "first_run", "unknown"
_MAGIC = b"SQLite format 3\x00"


def database_file(db: str | os.PathLike[str] | None) -> Path | None:
    """The SQLite file a --db argument names (None for another kind of URL); the same rule as resolve_url."""
    if db is None or str(db) == "":
        return Path(default_db_path())
    text = str(db)
    if "://" in text:
        if not text.startswith("sqlite:///") or "?" in text:
            return None
        text = text[len("sqlite:///"):]
        return Path(text) if text and text != ":memory:" else None
    return Path(text).expanduser().resolve()


def first_window(db: str | os.PathLike[str] | None) -> str:
    """LOGIN, FIRST_RUN or UNKNOWN for the database the program is about to open."""
    path = database_file(db)
    if path is None:
        return UNKNOWN
    try:
        if not path.exists():
            return FIRST_RUN  # a new database: its first start creates the administrator
        if not path.is_file() or path.stat().st_size < 100:
            return UNKNOWN
        with open(path, "rb") as f:
            if f.read(16) != _MAGIC:
                return UNKNOWN
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            has_table = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='app_user'").fetchone() is not None
            if not has_table:
                return FIRST_RUN
            return LOGIN if conn.execute("SELECT EXISTS (SELECT 1 FROM app_user)").fetchone()[0] else FIRST_RUN
        finally:
            conn.close()
    except (OSError, sqlite3.Error):
        return UNKNOWN
