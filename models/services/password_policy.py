"""Password policy beyond length and character classes: refuse passwords found in leaked-password lists
(a short list shipped as data, resources/security/weak_passwords.txt) and passwords that contain the account's
login or the user's name — the first guesses of anyone who knows the office."""
from __future__ import annotations

import functools
import string

from models.core.errors import ValidationError
from models.core.paths import RESOURCES_DIR

WEAK_LIST = RESOURCES_DIR / "security" / "weak_passwords.txt"
MIN_NAME_PART = 3  # a login of 2 characters ("li") inside a password is no guess; "wang" is


@functools.lru_cache(maxsize=1)
def weak_passwords() -> frozenset[str]:
    lines = WEAK_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(x.strip().lower() for x in lines if x.strip() and not x.lstrip().startswith("#"))


def _variants(password: str) -> set[str]:
    low = password.lower()
    return {low, low.rstrip(string.punctuation + " "), low.lstrip(string.punctuation + " ")}


def check_not_guessable(password: str, username: str = "", display_name: str = "") -> None:
    """Raise ValidationError when `password` is a common one or contains the login or the name."""
    if _variants(password) & weak_passwords():
        raise ValidationError("这个密码在常见弱密码名单中，很容易被猜中。请换一个别人猜不到的密码。", "password")
    low = password.lower()
    login = (username or "").strip().lower()
    if login and len(login) >= MIN_NAME_PART and login in low:
        raise ValidationError("密码不能包含用户名。请换一个密码。", "password")
    name = (display_name or "").strip().lower()
    if name and len(name) >= 2 and name in low:
        raise ValidationError("密码不能包含使用人的姓名。请换一个密码。", "password")
