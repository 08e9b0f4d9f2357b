import random
from datetime import date

import pytest

from models.reference import id_number
from models.core.errors import ValidationError

# A real-format example from GB 11643 annex: 11010519491231002X
KNOWN = "11010519491231002X"


def test_known_number_with_x_is_valid():
    assert id_number.validate(KNOWN) == KNOWN
    info = id_number.parse(KNOWN)
    assert info.birth_date == date(1949, 12, 31)
    assert info.gender == "女"


def test_normalise_spaces_fullwidth_and_lower_x():
    assert id_number.normalise(" １１０１０５ 1949\u30001231 002x ") == KNOWN
    assert id_number.validate("110105 19491231 002ｘ") == KNOWN


def test_wrong_check_digit_never_names_the_passing_one():
    with pytest.raises(ValidationError) as e:
        id_number.validate("110105194912310021", field="idn")
    assert "校验位不符" in e.value.message and "原件" in e.value.message
    assert "X" not in e.value.message and "应为" not in e.value.message  # no digit to "fix" the number with
    assert e.value.field == "idn"


@pytest.mark.parametrize("cell", [110105491231002, 110105491231002.0, "1.10105491231002E+14"])
def test_old_15_digit_number_in_a_number_cell_is_an_old_id_not_lost_digits(cell):
    from models.exchange import excel_values as ev

    for check in (id_number.validate, ev.parse_id_number):
        with pytest.raises(ValidationError) as e:
            check(cell)
        assert "15位的旧版" in e.value.message and "转成" not in e.value.message


@pytest.mark.parametrize("bad, words", [
    ("", "不能为空"),
    ("110105491231002", "15位的旧版"),
    ("1101051949123100", "应为18位，现为16位"),
    ("11010519491A31002X", "前17位只能是数字"),
    ("11010519491231002Y", "第18位只能是数字或X"),
    ("110105194913310029", "不是有效的出生日期"),
    (110105194912310020, "转成数字"),
    (1.10105194912310e17, "转成数字"),
    ("1.10105E+17", "转成数字"),
])
def test_invalid_numbers_have_clear_messages(bad, words):
    with pytest.raises(ValidationError) as e:
        id_number.validate(bad)
    assert words in e.value.message


def test_future_birth_date_refused_when_today_given():
    n = id_number.generate(date(2030, 1, 1), "男", rng=random.Random(1))
    assert id_number.validate(n) == n
    with pytest.raises(ValidationError, match="不合理"):
        id_number.validate(n, today=date(2024, 1, 1))


def test_generated_numbers_are_valid_and_carry_birth_and_gender():
    rng = random.Random(7)
    for i in range(300):
        born = date(1950, 1, 1).fromordinal(date(1950, 1, 1).toordinal() + rng.randrange(20000))
        g = rng.choice(["男", "女"])
        n = id_number.generate(born, g, rng=rng)
        assert len(n) == 18
        assert id_number.is_valid(n)
        assert id_number.birth_date(n) == born
        assert id_number.gender(n) == g


def test_single_digit_change_is_always_caught():
    n = id_number.generate(date(1980, 6, 6), "男", rng=random.Random(3))
    for pos in range(17):
        d = int(n[pos])
        changed = n[:pos] + str((d + 1) % 10) + n[pos + 1:]
        assert not id_number.is_valid(changed) or id_number.birth_date(changed) != date(1980, 6, 6)


def test_mask():
    assert id_number.mask(KNOWN) == "**************002X"  # no region, no birth date: the last 4 only
    assert id_number.mask("") == ""
