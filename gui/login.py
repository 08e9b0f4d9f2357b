"""Who uses the program. Accounts, first-run administrator and the lock come with the trust features."""
from __future__ import annotations

from models.actor import ROLE_ADMIN, Actor
from models.db import Database


def obtain_actor(db: Database, parent=None) -> Actor | None:
    """Return the logged-in user, or None when the user gave up (the program then quits)."""
    return Actor(username="local", role=ROLE_ADMIN, display_name="本机用户")
