"""Logging to a rotating file in the data folder; nothing unexpected is lost, and no personal data is written.

The log is a plain file even when the database is encrypted, so every line passes `redact` (design §6): ID
numbers, mobile and landline numbers, the parameters SQLAlchemy appends to an SQL error (the values of a row),
passwords in database URLs, the text of “quoted” names and any Chinese text (the program logs in English, so
Chinese in a line is data) are replaced before writing. Code logs the records'
internal ids, never names; `redact` also cleans exception text shown to the user in an "internal error" line.
"""
from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

from models.core.paths import logs_dir

_configured = False

_PATTERNS = (
    (re.compile(r"\[parameters: .*?\](?=\s*(?:\(|$))", re.S), "[parameters: omitted]"),  # SQLAlchemy: row values
    (re.compile(r"\[SQL parameters: .*?\]", re.S), "[SQL parameters: omitted]"),
    (re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://[^\s:/@'\"]*:)[^\s@'\"]*@"), r"\1***@"),  # user:password@host
    (re.compile(r"(?i)(password|passwd|pwd|口令|密码)(\s*[=:：]\s*)\S+"), r"\1\2***"),
    (re.compile(r"(?<![0-9A-Za-z])[1-9][0-9]{5}(?:18|19|20)[0-9]{2}[01][0-9][0-3][0-9][0-9]{3}[0-9Xx](?![0-9A-Za-z])"),
     "[ID-NUMBER]"),
    (re.compile(r"(?<![0-9A-Za-z])[1-9][0-9]{7}[01][0-9][0-3][0-9][0-9]{3}(?![0-9A-Za-z])"), "[ID-NUMBER]"),  # 15 digits
    (re.compile(r"(?<![0-9])[0-9]{14,17}[0-9Xx](?![0-9A-Za-z])"), "[ID-NUMBER]"),  # any other such run of digits
    (re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])"), "[PHONE]"),
    (re.compile(r"(?<![0-9])0[1-9][0-9]{1,2}-?[0-9]{7,8}(?![0-9])"), "[PHONE]"),
    (re.compile(r"“[^”]{0,60}”"), "“…”"),  # our messages quote names and typed values this way
    # Chinese text: the program logs in English, so Chinese in a line is data (a name, an address, a typed
    # value in an exception) — it cannot be told from a name, so none is written.
    (re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3007\U00020000-\U0003134f]+"), "[…]"),
)


def redact(text: str) -> str:
    """`text` without ID numbers, phone numbers, passwords, row values or quoted names."""
    out = str(text)
    for pattern, replacement in _PATTERNS:
        out = pattern.sub(replacement, out)
    return out


class RedactingFormatter(logging.Formatter):
    """Every line, traceback included, through `redact`."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def log_file_path() -> Path:
    return logs_dir() / "app.log"


def setup_logging(level: int = logging.INFO) -> None:
    global _configured
    if _configured:
        return
    try:
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_file_path(), maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:  # a read-only data folder must not stop the program; log to stderr instead
        handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    _configured = True
