import pytest

from models.entities import Handling
from models.errors import ValidationError
from models.text_limits import check_lengths


def test_limit_comes_from_the_column():
    check_lengths(Handling, {"doc_number": "武纪〔2024〕1号", "organ": None}, {})
    with pytest.raises(ValidationError) as err:
        check_lengths(Handling, {"doc_number": "号" * 61}, {"doc_number": "文号"})
    assert err.value.field == "doc_number" and "最多 60 字" in err.value.message and "文号" in err.value.message
