"""An encrypted database (SQLCipher) opens in the GUI after the passphrase; a wrong one is asked again."""
import pytest

from gui.app import open_database_interactive
from models.core import encryption
from models.core.actor import Actor
from models.core.db import open_database
from models.entities import Cadre
from models.core.errors import DatabaseUnusable

pytestmark = pytest.mark.skipif(not encryption.available(), reason="sqlcipher3 not installed")
ADMIN = Actor("admin", "admin", "管理员")


def _encrypted(tmp_path):
    plain = open_database(tmp_path / "plain.sqlite3")
    with plain.session() as s:
        s.add(Cadre(name="欧阳娜", id_number="420102199001011234"))
    plain.dispose()
    return encryption.encrypt_database(tmp_path / "plain.sqlite3", tmp_path / "secret.sqlite3", "正确的口令123", ADMIN)


def test_passphrase_asked_until_right(qapp, tmp_path):
    path = _encrypted(tmp_path)
    answers = iter(["错误口令xyz", "正确的口令123"])
    prompts = []

    def ask(prompt):
        prompts.append(prompt)
        return next(answers)

    db = open_database_interactive(str(path), ask=ask)
    with db.session() as s:
        assert s.query(Cadre).one().name == "欧阳娜"
    db.dispose()
    assert len(prompts) == 2 and "口令" in prompts[1]


def test_gives_up_after_three_wrong_and_cancel_returns_none(qapp, tmp_path):
    path = _encrypted(tmp_path)
    with pytest.raises(DatabaseUnusable, match="三次"):
        open_database_interactive(str(path), ask=lambda p: "不对的口令000")
    assert open_database_interactive(str(path), ask=lambda p: None) is None


def test_command_line_takes_the_passphrase_from_the_environment(tmp_path, monkeypatch):
    path = _encrypted(tmp_path)
    monkeypatch.setenv("CADRECARE_PASSPHRASE", "正确的口令123")
    db = open_database(path)
    with db.session() as s:
        assert s.query(Cadre).count() == 1
    db.dispose()
