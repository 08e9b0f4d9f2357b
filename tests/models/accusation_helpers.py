"""Data for the 举报/函询/澄清 tests: a unit, cadres and accusations written through the services."""
from __future__ import annotations

from datetime import date

from models.services import accusations as acc
from models.entities import Cadre, Unit

REPORTER = {"reporter_name": "欧阳翠花", "reporter_unit": "红星机械厂第三车间", "reporter_contact": "13907195566"}


def make_cadre(session, name: str, *, unit: str = "区住建局", post: str = "局长", number: str | None = None) -> int:
    u = session.query(Unit).filter_by(name=unit).first()
    if u is None:
        u = Unit(name=unit, path="/")
        session.add(u)
        session.flush()
    n = session.query(Cadre).count() + 1
    c = Cadre(name=name, id_number=number or f"42010219800101{n:04d}", unit_id=u.id, current_post=f"{unit}{post}",
              status="在职")
    session.add(c)
    session.flush()
    return c.id


def make_accusation(session, actor, cadre_ids, summary: str, *, category: str = "违反廉洁纪律",
                    received_on: date = date(2024, 3, 1), specific: bool = True, verifiable: bool = True,
                    anonymous: bool = False, **extra):
    data = {
        "received_on": received_on, "channel": "来信", "anonymous": anonymous, "cadre_ids": list(cadre_ids),
        "category": category, "summary": summary, "is_specific": specific, "is_verifiable": verifiable,
        **({} if anonymous else REPORTER), **extra,
    }
    return acc.create_accusation(session, actor, data)
