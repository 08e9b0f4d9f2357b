import pytest

from models.reference import pinyin


@pytest.mark.parametrize("name, full, ini", [
    ("单田芳", "shantianfang", "stf"),
    ("曾国藩", "zengguofan", "zgf"),
    ("解缙", "xiejin", "xj"),
    ("仇英", "qiuying", "qy"),
    ("区永", "ouyong", "oy"),
    ("查良镛", "zhaliangyong", "zly"),
    ("朴槿惠", "piaojinhui", "pjh"),
    ("盖叫天", "gejiaotian", "gjt"),
    ("乐嘉", "yuejia", "yj"),
    ("覃军", "qinjun", "qj"),
    ("缪斯", "miaosi", "ms"),
    ("翟志刚", "zhaizhigang", "zzg"),
    ("种师道", "chongshidao", "csd"),
    ("员明", "yunming", "ym"),
    ("尉迟恭", "yuchigong", "ycg"),
    ("万俟卨", "moqixie", "mqx"),
    ("欧阳修", "ouyangxiu", "oyx"),
    ("张三", "zhangsan", "zs"),
])
def test_surname_readings(name, full, ini):
    k = pinyin.keys(name)
    assert k.pinyin == full
    assert k.initials == ini


def test_padded_names_are_normalised():
    assert pinyin.normalise_name("张　三") == "张三"
    assert pinyin.normalise_name(" 李  四 ") == "李四"
    assert pinyin.keys("王\u3000\u3000五").initials == "ww"


def test_minority_name_with_middle_dot():
    k = pinyin.keys("买买提•艾力")
    assert k.name == "买买提·艾力"
    assert k.pinyin == "maimaitiaili"
    assert k.initials == "mmtal"


def test_empty():
    assert pinyin.keys(None).pinyin == ""
    assert pinyin.initials("") == ""


@pytest.mark.parametrize("names", [
    ["单田芳", "曾国藩", "尉迟恭", "欧阳修", "张三", "张　三", "买买提•艾力", "Tom Li", "王3", ""],
    # a phrase of the dictionary inside a name, across the surname, and the same characters outside one
    ["王银行", "银行", "行长", "张行长", "李长江", "长江", "朝阳", "乐乐", "重庆", "重阳", "曾经", "单单", "觉得"],
])
def test_search_keys_of_an_import_are_those_of_each_name_alone(names):
    """SearchKeys (one import's names: each word of pypinyin's segmentation read once) gives what
    name_search_keys gives for every name, the first time and from what it remembered."""
    keys = pinyin.SearchKeys()
    alone = [pinyin.name_search_keys(n) for n in names]
    assert [keys(n) for n in names] == alone
    assert [keys(n) for n in reversed(names)] == alone[::-1]
    assert keys(None) == pinyin.name_search_keys(None) == ("", "")
