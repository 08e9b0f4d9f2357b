"""Small builders for the handling/dashboard/roster tests: units, cadres and decisions written directly."""
from __future__ import annotations

from datetime import date
from itertools import count

from models.entities import Cadre, Unit
from models.reference.id_number import generate

_seq = count(1)


def add_unit(s, name: str, parent: Unit | None = None) -> Unit:
    unit = Unit(name=name, parent_id=parent.id if parent else None)
    s.add(unit)
    s.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    s.flush()
    return unit


def add_cadre(s, name: str = "张三", unit: Unit | None = None, status: str = "在职", initials: str = "") -> Cadre:
    n = next(_seq)
    cadre = Cadre(
        name=name, name_initials=initials, id_number=generate(date(1970 + n % 30, 1 + n % 12, 1 + n % 28), seq=n % 100),
        unit_id=unit.id if unit else None, status=status,
    )
    s.add(cadre)
    s.flush()
    return cadre
