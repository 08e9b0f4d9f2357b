"""Two officers on one record: two processes on one database file; the stale save gets a clear ConflictError
listing what the other person changed, and nothing is silently overwritten."""
from __future__ import annotations

import json
import re
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from models.core import audit, concurrency
from models.entities import Cadre
from models.core.errors import ConflictError

ROOT = Path(__file__).resolve().parents[2]

OFFICER_A = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from models.core import audit, concurrency
    from models.core.actor import Actor
    from models.core.db import open_database
    from models.entities import Cadre
    from models.core.errors import ConflictError
    sync = Path({sync!r})
    db = open_database({db!r})
    actor = Actor("officer_a", "officer")
    result = {{}}
    try:
        with db.session() as s:
            cadre = s.get(Cadre, 1)                       # A opens the record …
            (sync / "a_loaded").touch()
            deadline = time.time() + 30
            while not (sync / "b_saved").exists():        # … while B saves the same record
                if time.time() > deadline: raise SystemExit("B never saved")
                time.sleep(0.05)
            cadre.current_post = "局长"                    # A's own edit, on a stale copy
            before = audit.snapshot(cadre)
            concurrency.flush(s, cadre)
            audit.record(s, actor, "update", "cadre", 1, after={{"current_post": "局长"}}, cadre_id=1)
        result["saved"] = True
    except ConflictError as exc:
        result = {{"saved": False, "message": exc.message,
                   "changes": [[c.field, c.label, c.seen, c.now] for c in exc.changes]}}
    print(json.dumps(result, ensure_ascii=False))
""")

OFFICER_B = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    sys.path.insert(0, {root!r})
    from models.core import audit, concurrency
    from models.core.actor import Actor
    from models.core.db import open_database
    from models.entities import Cadre
    sync = Path({sync!r})
    deadline = time.time() + 30
    while not (sync / "a_loaded").exists():
        if time.time() > deadline: raise SystemExit("A never loaded")
        time.sleep(0.05)
    db = open_database({db!r})
    with db.session() as s:
        cadre = s.get(Cadre, 1)
        cadre.name = "张叁"
        cadre.rank = "二级调研员"
        concurrency.flush(s, cadre)
        audit.record(s, Actor("officer_b", "officer"), "update", "cadre", 1, before={{"name": "张三"}},
                     after={{"name": "张叁"}}, cadre_id=1)
    (sync / "b_saved").touch()
    print("ok")
""")


def _spawn(code: str, tmp_path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "CADRECARE_DATA_DIR": str(tmp_path / "data")},
    )


def test_second_save_of_a_stale_record_is_refused_with_what_changed(db, db_path, tmp_path, admin):
    with db.session() as s:
        s.add(Cadre(id=1, name="张三", id_number="110101199003070011", current_post="副局长", rank="三级调研员"))
        audit.record(s, admin, "create", "cadre", 1, cadre_id=1)
    db.dispose()
    sync = tmp_path / "sync"
    sync.mkdir()
    args = dict(root=str(ROOT), sync=str(sync), db=str(db_path))
    a = _spawn(OFFICER_A.format(**args), tmp_path)
    b = _spawn(OFFICER_B.format(**args), tmp_path)
    b_out, b_err = b.communicate(timeout=60)
    a_out, a_err = a.communicate(timeout=60)
    assert b.returncode == 0 and b_out.strip() == "ok", b_err
    assert a.returncode == 0, a_err
    result = json.loads(a_out.strip().splitlines()[-1])
    assert result["saved"] is False
    msg = result["message"]
    assert msg.startswith("这条记录已被他人修改") and "officer_b" in msg and "您的修改没有保存" in msg
    assert "姓名：张三 → 张叁" in msg and "职级：三级调研员 → 二级调研员" in msg and "现任职务" not in msg
    assert sorted(c[0] for c in result["changes"]) == ["name", "rank"]
    # B's save stands, A's was not written over it.
    from models.core.db import open_database

    again = open_database(db_path)
    with again.session() as s:
        cadre = s.get(Cadre, 1)
        assert (cadre.name, cadre.rank, cadre.current_post, cadre.version) == ("张叁", "二级调研员", "副局长", 2)
        assert audit.verify_chain(s) is None
    again.dispose()


def test_check_version_compares_with_what_the_user_saw(db, admin):
    with db.session() as s:
        s.add(Cadre(id=1, name="张三", id_number="110101199003070011"))
    with db.session() as s:
        seen = {"name": "张三", "id_number": "110101199003070011", "version": 1}
    with db.session() as s:  # someone else saves in between
        s.get(Cadre, 1).name = "张叁"
        audit.record(s, admin, "update", "cadre", 1, cadre_id=1)
    with pytest.raises(ConflictError) as err:
        with db.session() as s:
            cadre = s.get(Cadre, 1)
            concurrency.check_version(s, cadre, seen["version"], seen=seen)
            cadre.name = "张山"
    assert "姓名：张三 → 张叁" in err.value.message and "admin" in err.value.message
    with db.session() as s:
        cadre = s.get(Cadre, 1)
        assert (cadre.name, cadre.version) == ("张叁", 2)
        concurrency.check_version(s, cadre, 2, seen=seen)  # the current version passes


def test_a_service_message_replaces_the_listing_and_a_stale_flush_raises_it(db, admin):
    with db.session() as s:
        s.add(Cadre(id=1, name="张三", id_number="110101199003070011"))
    mine = lambda: ConflictError("这条记录已被他人修改（本服务的说法）。")  # noqa: E731
    with pytest.raises(ConflictError, match="本服务的说法"):
        with db.session() as s:
            concurrency.check_version(s, s.get(Cadre, 1), 7, error=mine)
    with db.session() as s:
        concurrency.check_version(s, s.get(Cadre, 1), None, error=mine)  # None: nothing to compare
    with pytest.raises(ConflictError, match="本服务的说法"):
        with db.session() as s:
            stale = s.get(Cadre, 1)
            with db.session() as other:
                other.get(Cadre, 1).name = "张叁"
            stale.name = "张山"
            with concurrency.guard(s, stale, error=mine):
                s.flush()
    with db.session() as s:
        assert s.get(Cadre, 1).name == "张叁"


def test_every_service_locks_through_the_one_helper():
    """Versions are compared and StaleDataError caught in models/core/concurrency.py only (issue 14)."""
    offenders = []
    for path in sorted((ROOT / "models").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel in ("models/core/concurrency.py", "models/entities/base.py"):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "StaleDataError" in line or re.search(r"\.version\s*!=", line):
                offenders.append(f"{rel}:{n}: {line.strip()}")
    assert offenders == []
