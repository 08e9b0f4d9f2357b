"""Logging to a rotating file in the data folder; nothing unexpected is lost."""
from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from models.core.paths import logs_dir

_configured = False


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
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    _configured = True
