"""The one withdraw helper (models/core/withdrawal.py): every service marks and logs a withdrawal through it."""
import re
from datetime import datetime
from pathlib import Path

import pytest

from models.core import withdrawal
from models.core.errors import ValidationError
from models.entities import AuditEvent, Cadre

ROOT = Path(__file__).resolve().parents[2]


def test_the_reason_is_checked_with_the_services_message():
    assert withdrawal.clean_reason("  重复录入 ", "写明原因") == "重复录入"
    with pytest.raises(ValidationError) as err:
        withdrawal.clean_reason(" 重 ", "请写明撤回的理由（至少 4 个字）。", minimum=4)
    assert (err.value.message, err.value.field) == ("请写明撤回的理由（至少 4 个字）。", "reason")


def test_withdraw_marks_flushes_runs_the_hooks_and_audits(db, officer):
    steps = []
    with db.session() as s:
        cadre = Cadre(name="张三", id_number="110101199003070011")
        s.add(cadre)
        s.flush()
        when = withdrawal.withdraw(s, officer, cadre, " 重复录入 ", "写明原因", entity="cadre", cadre_id=cadre.id,
                                   now=datetime(2024, 5, 6, 7, 8, 9, 123456),
                                   before_flush=lambda w: steps.append(("before", w)),
                                   after_flush=lambda: steps.append(("after", cadre.withdrawn_at)),
                                   summary=lambda why: f"撤销干部记录 张三：{why}")
    assert when == datetime(2024, 5, 6, 7, 8, 9)
    assert steps == [("before", when), ("after", when)]
    with db.session() as s:
        row = s.query(Cadre).one()
        assert (row.withdrawn_at, row.withdrawn_by, row.withdrawn_reason) == (when, officer.username, "重复录入")
        ev = s.query(AuditEvent).filter_by(action="withdraw").one()
        assert (ev.entity, ev.after, ev.summary) == ("cadre", {"reason": "重复录入"}, "撤销干部记录 张三：重复录入")


def test_every_service_withdraws_through_the_helper():
    """No service sets withdrawn_at itself (issue 14: seven withdraw functions had drifted apart)."""
    offenders = []
    for path in sorted((ROOT / "models").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel == "models/core/withdrawal.py":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.match(r"\s*[\w.]+\.withdrawn_at\s*(,\s*[\w.]+\s*)*=(?!=)", line):  # an assignment to it
                offenders.append(f"{rel}:{n}: {line.strip()}")
    assert offenders == []
