"""Where the program keeps its files: the user's data folder (platformdirs), overridable for tests."""
from __future__ import annotations

import os
from pathlib import Path

APP_DIR_NAME = "CadreCare"
DATA_DIR_ENV = "CADRECARE_DATA_DIR"
PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
RESOURCES_DIR = PROJECT_ROOT / "resources"


def data_dir() -> Path:
    """The data folder (created on first use). `CADRECARE_DATA_DIR` overrides it (tests, portable installs)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        path = Path(override)
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return data_dir() / "cadres.sqlite3"


def logs_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def backups_dir() -> Path:
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path
