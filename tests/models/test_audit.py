from sqlalchemy import text

from models.core import audit


def test_chain_intact_then_broken_by_edit_and_by_removal(db, admin):
    with db.session() as s:
        for i in range(3):
            audit.record(s, admin, "create", "cadre", i, after={"name": f"甲{i}"})
    with db.session() as s:
        assert audit.verify_chain(s) is None
    with db.engine.begin() as conn:
        conn.execute(text("update audit_event set summary='篡改' where seq=2"))
    with db.session() as s:
        problem = audit.verify_chain(s)
        assert problem is not None and problem.seq == 2
    with db.engine.begin() as conn:
        conn.execute(text("update audit_event set summary=NULL where seq=2"))
    with db.session() as s:
        assert audit.verify_chain(s) is None
    with db.engine.begin() as conn:
        conn.execute(text("delete from audit_event where seq=2"))
    with db.session() as s:
        problem = audit.verify_chain(s)
        assert problem is not None and problem.seq == 2 and "缺失" in problem.message
