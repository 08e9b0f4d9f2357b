"""Typed, expected faults. Each carries a Chinese message that says what is wrong and what to do.

The GUI shows `message` in a dialog; the command line prints it on stderr and exits 2.
"""
from typing import Any


class AppError(Exception):
    """An expected fault with a user-facing Chinese message."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ValidationError(AppError):
    """Input that breaks a rule; `field` names the offending field when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class NotFoundError(AppError):
    pass


class PermissionDenied(AppError):
    pass


class ConflictError(AppError):
    """A record changed since it was read (optimistic locking) or a unique value already exists."""

    changes: list[Any]  # set by models.core.concurrency: the fields the other person changed (Change rows)


class DatabaseUnusable(AppError):
    """The database file or URL cannot be used (not a database, damaged, newer schema, no write permission)."""
