"""The demo database's own administrator, printed on screen so that anyone can look around (design §4)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from models.services import accounts

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo2024"  # demo data only: shown to every user of the demo, so the weak-password policy is waived


def ensure_demo_account(session: Session) -> bool:
    """Create demo / demo2024 as the administrator when the database has no account yet; True when created."""
    if accounts.has_users(session):
        return False
    accounts.create_first_admin(session, DEMO_USERNAME, "演示管理员", DEMO_PASSWORD, demo=True)
    return True
