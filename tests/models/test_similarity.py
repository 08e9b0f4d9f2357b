"""The duplicate check on real-looking Chinese accusation texts: rewordings match, other issues do not."""
from __future__ import annotations

import pytest

from models.reference.similarity import DEFAULT_THRESHOLD, context_words, is_similar, normalise, similarity

IGNORE = context_words("张建国", "区住建局", "局长")

# One issue (工程 for a relative, 20万 好处费), told four ways.
PROJECT = [
    "反映张建国同志在担任区住建局局长期间，利用职务便利为其亲属承揽辖区内老旧小区改造工程提供帮助，收受好处费20万元。",
    "举报人称：区住建局原局长张建国利用职权，帮助自己的亲戚拿下多个老旧小区改造工程，从中收取好处费约二十万元。",
    "张建国任住建局局长时，让其小舅子承包了老旧小区改造项目，收了20万元好处。",
    "反映张建国同志利用职务之便，为亲属承揽老旧小区改造工程提供帮助，收受好处费２０万元！！",
]
# Another issue (公车私用), told two ways.
CAR = [
    "反映张建国同志在担任区住建局局长期间，违规使用公车接送子女上下学。",
    "举报区住建局局长张建国经常开公车送孩子上学放学，公车私用。",
]
# Other issues about the same person: none may match each other or the two above.
OTHERS = [
    "反映张建国同志违规操办其儿子婚礼，大操大办，宴请管理服务对象，收受礼金。",
    "反映张建国同志在区住建局工作期间，长期在工作日午间饮酒，多次酒后上班。",
    "反映张建国利用职务便利在干部选拔中收受他人财物，帮助他人提拔。",
    "反映张建国同志在担任区住建局局长期间，对老旧小区改造工程质量监管不力，造成工程返工。",
]


@pytest.mark.parametrize("i,j", [(i, j) for i in range(len(PROJECT)) for j in range(i + 1, len(PROJECT))])
def test_the_same_accusation_reworded_matches(i, j):
    assert is_similar(PROJECT[i], PROJECT[j], IGNORE), similarity(PROJECT[i], PROJECT[j], IGNORE)


def test_the_same_minor_issue_reworded_matches():
    assert similarity(CAR[0], CAR[1], IGNORE) >= DEFAULT_THRESHOLD


@pytest.mark.parametrize("text", OTHERS[:3] + CAR)
def test_a_different_issue_about_the_same_person_does_not_match(text):
    for p in PROJECT:
        assert not is_similar(p, text, IGNORE), (p, text, similarity(p, text, IGNORE))


def test_other_issues_do_not_match_each_other():
    texts = OTHERS[:3] + CAR[:1]
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            assert similarity(a, b, IGNORE) < DEFAULT_THRESHOLD, (a, b)


def test_same_project_but_a_different_issue_scores_lower_than_a_rewording():
    # Supervision failure on the same project shares words ("老旧小区改造工程") with the bribery report; it
    # must score clearly below a true rewording, so the officer sees the difference in the guard's list.
    same = similarity(PROJECT[0], PROJECT[3], IGNORE)
    other = similarity(PROJECT[0], OTHERS[3], IGNORE)
    assert same - other >= 25


def test_without_the_cadre_context_the_shared_name_and_post_inflate_the_score():
    # The reason for `ignore`: the name, unit and post appear in every report about him.
    raw = similarity(CAR[0], OTHERS[1])
    assert raw > similarity(CAR[0], OTHERS[1], IGNORE)


def test_normalise_width_punctuation_numerals_and_framing():
    assert normalise("反映张建国同志收受好处费２０万元！", IGNORE) == normalise("举报人称：张建国收取好处费二十万元。", IGNORE)
    assert normalise("  Ａ Ｂ，c  ") == "abc"
    assert "20万" in normalise("约二十万元")
    assert "亲属" in normalise("他的小舅子")


def test_empty_texts_never_match():
    assert similarity("", PROJECT[0]) == 0
    assert not is_similar("反映问题。", "举报问题！", IGNORE)
