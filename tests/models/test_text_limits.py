import pytest

from models.entities import Handling
from models.core.errors import ValidationError
from models.core.text_limits import check_lengths


def test_limit_comes_from_the_column():
    check_lengths(Handling, {"doc_number": "武纪〔2024〕1号", "organ": None}, {})
    with pytest.raises(ValidationError) as err:
        check_lengths(Handling, {"doc_number": "号" * 61}, {"doc_number": "文号"})
    assert err.value.field == "doc_number" and "最多 60 字" in err.value.message and "文号" in err.value.message


def test_nul_characters_are_refused_on_every_write(db, admin):
    from models.entities import Cadre, Unit

    with pytest.raises(ValidationError, match="NUL"):
        with db.session() as s:
            s.add(Unit(name="市委\x00办", path="/"))
    with db.session() as s:
        s.add(Cadre(name="张三", id_number="110101199003070011"))
    with pytest.raises(ValidationError, match="NUL"):
        with db.session() as s:
            s.query(Cadre).one().current_post = "科员\x00"
    with db.session() as s:
        assert s.query(Unit).count() == 0 and s.query(Cadre).one().current_post is None


def test_every_table_has_a_chinese_name_for_the_messages():
    from models.entities import Base
    from models.core.text_limits import TABLE_LABELS

    assert set(TABLE_LABELS) == set(Base.metadata.tables)
