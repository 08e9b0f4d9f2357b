"""The .lrmx files (domain §10): round trip, BOM/CR LF, GBK zip names, and files that must be refused."""
from __future__ import annotations

import base64
import zipfile
from datetime import date

import pytest
from sqlalchemy import func, select

from models.entities import AuditEvent, Cadre, FamilyMember
from models.exchange.common import FileUnusable
from models.exchange.lrmx import ELEMENTS, export_lrmx, import_lrmx, lrmx_bytes
from tests.exchange.files import number

TODAY = date(2024, 3, 15)
N1, N2 = number(date(1975, 3, 15), "男", 1), number(date(1982, 6, 9), "女", 2)
PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4 + b"\xff\xd9"
RESUME = "1993.09--1997.07  武汉大学法学院法学专业学生\n1997.07--2010.03  市委组织部干部一科科员\n2010.03--         市委组织部干部一科科长\n（其间：2012.09--2014.07 在省委党校在职研究生班学习）"


def _person(name, id_number, **kw):
    xml = ["\ufeff<?xml version=\"1.0\" encoding=\"utf-8\"?>", "<Person>", f"<XingMing>{name}</XingMing>",
           f"<ShenFenZheng>{id_number}</ShenFenZheng>"]
    xml += [f"<{k}>{v}</{k}>" for k, v in kw.items()]
    xml.append("</Person>")
    return "\r\n".join(xml).encode("utf-8")


@pytest.fixture
def seeded(db):
    with db.session() as s:
        c = Cadre(name="单田芳", id_number=N1, gender="男", birth_date=date(1975, 3, 15), ethnicity="汉族",
                  native_place="湖北武汉", birthplace="湖北黄陂", party_joined="199807", work_started=date(1997, 7, 1),
                  health="健康", ft_education="大学", ft_degree="法学学士", ft_education_school="武汉大学法学院法学专业",
                  pt_education="研究生", pt_education_school="省委党校经济管理专业", current_post="市委组织部干部一科科长",
                  resume=RESUME, annual_assessment_text="2022年、2023年年度考核均为称职", appointment_reason="工作需要",
                  reporting_unit="市委组织部", form_filler="王小明", photo=PHOTO, name_pinyin="shantianfang",
                  name_initials="stf", is_party_member=True)
        c.family.append(FamilyMember(sort_order=0, relation="妻子", name="李梅", birth="197601",
                                     political_status="中共党员", work_and_post="市一中教师"))
        c.family.append(FamilyMember(sort_order=1, relation="父亲", name="单大山", birth="194805",
                                     political_status="群众", work_and_post="已退休"))
        s.add(c)
    return db


FIELDS = ("name", "id_number", "gender", "birth_date", "ethnicity", "native_place", "birthplace", "party_joined",
          "work_started", "health", "ft_education", "ft_degree", "ft_education_school", "pt_education",
          "pt_education_school", "current_post", "resume", "annual_assessment_text", "appointment_reason",
          "reporting_unit", "form_filler", "photo")


def _load(db, number_):
    with db.session() as s:
        c = s.execute(select(Cadre).where(Cadre.id_number == number_)).scalar_one()
        return {k: getattr(c, k) for k in FIELDS}, [(m.relation, m.name, m.birth, m.political_status, m.work_and_post)
                                                   for m in c.family]


def test_export_then_import_gives_the_same_data(seeded, admin, tmp_path, db_path, _template_db):
    out = tmp_path / "out"
    out.mkdir()
    with seeded.session() as s:
        result = export_lrmx(s, admin, out, today=TODAY)
    assert [p.name for p in result.files] == [f"单田芳{N1}.lrmx"]
    data = result.files[0].read_bytes()
    assert data.startswith(b"\xef\xbb\xbf<?xml")
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")  # CR LF everywhere, also inside 简历
    text = data.decode("utf-8-sig")
    tags = [t for t, _k, _kind in ELEMENTS]
    positions = [text.index(f"<{t}>") for t in tags]
    assert positions == sorted(positions)  # template order
    assert "<ChuShengNianYue>197503</ChuShengNianYue>" in text
    assert "<JiSuanNianLingShiJian>20240315</JiSuanNianLingShiJian>" in text
    assert base64.b64encode(PHOTO).decode() in text
    before = _load(seeded, N1)

    import shutil

    from models.core.db import open_database

    fresh_path = tmp_path / "fresh.sqlite3"
    shutil.copyfile(_template_db, fresh_path)
    fresh = open_database(fresh_path)
    try:
        with fresh.session() as s:
            res = import_lrmx(s, admin, out, today=TODAY)
        assert (res.created, res.updated, len(res.rejected)) == (1, 0, 0)
        assert _load(fresh, N1) == before
        with fresh.session() as s:  # importing the same file again changes nothing
            res = import_lrmx(s, admin, result.files[0], today=TODAY)
        assert (res.created, res.updated, res.unchanged) == (0, 0, 1)
    finally:
        fresh.dispose()


def test_import_updates_matching_cadre_by_id_number(seeded, admin, tmp_path):
    f = tmp_path / "单田芳.lrmx"
    f.write_bytes(_person("单 田 芳", N1, XianRenZhiWu="市委组织部副部长", JianLi="2010.03--  甲\r\n  乙",
                          JiaTingChengYuan="<Item><ChengWei>儿子</ChengWei><XingMing>单小</XingMing>"
                                           "<ChuShengRiQi>200501</ChuShengRiQi></Item>"))
    with seeded.session() as s:
        res = import_lrmx(s, admin, f, today=TODAY)
    assert (res.created, res.updated) == (0, 1)
    data, family = _load(seeded, N1)
    assert data["current_post"] == "市委组织部副部长"
    assert data["resume"] == "2010.03--  甲\n  乙"
    assert data["ethnicity"] == "汉族"  # missing elements leave stored values alone
    assert family == [("儿子", "单小", "200501", None, None)]
    with seeded.session() as s:
        assert s.execute(select(func.count()).select_from(Cadre)).scalar() == 1


def test_name_that_disagrees_with_the_id_number_is_rejected(seeded, admin, tmp_path):
    f = tmp_path / "x.lrmx"
    f.write_bytes(_person("张三", N1))
    with seeded.session() as s:
        res = import_lrmx(s, admin, f, today=TODAY)
    assert res.updated == 0 and "姓名与身份证号不符" in res.rejected[0].reason


class _GbkInfo(zipfile.ZipInfo):
    """A member name stored as GBK bytes without the UTF-8 flag (bit 11), as Windows tools write it."""

    def _encodeFilenameFlags(self):
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def test_gbk_zip_names(db, admin, tmp_path):
    path = tmp_path / "批量.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for name, n in (("张三.lrmx", N1), ("李四.lrmx", N2)):
            zf.writestr(_GbkInfo("任免表/" + name), _person(name[:2], n))
    with zipfile.ZipFile(path) as zf:
        assert not zf.infolist()[0].flag_bits & 0x800
    with db.session() as s:
        res = import_lrmx(s, admin, path, today=TODAY)
    assert res.created == 2
    assert res.changes == ["张三.lrmx 张三：新增", "李四.lrmx 李四：新增"]


def test_folder_with_one_bad_file_imports_the_rest_and_lists_it(db, admin, tmp_path):
    (tmp_path / "a.lrmx").write_bytes(_person("张三", N1))
    (tmp_path / "b.Lrmx").write_bytes(b"<Person><XingMing>broken")
    (tmp_path / "c.lrmx").write_bytes(_person("李四", ""))
    with db.session() as s:
        res = import_lrmx(s, admin, tmp_path, today=TODAY)
    assert res.created == 1
    reasons = {r.row: r.reason for r in res.rejected}
    assert "不是完整的 XML" in reasons["b.Lrmx"] and "没有身份证号" in reasons["c.lrmx"]


XXE = b"""<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE Person [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Person><XingMing>&xxe;</XingMing><ShenFenZheng>%s</ShenFenZheng></Person>"""
BOMB = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<Person><XingMing>&lol2;</XingMing></Person>"""


@pytest.mark.parametrize("content, words", [
    (XXE % N1.encode(), "DOCTYPE/ENTITY"), (BOMB, "DOCTYPE/ENTITY"), (b"<Person><XingMing>x</Xing", "不是完整的 XML"),
    (b"\x00\x01binary", "不是完整的 XML"), (b"<Root/>", "不是任免审批表文件"),
])
def test_dangerous_or_broken_file_refused_nothing_written(db, admin, tmp_path, content, words):
    f = tmp_path / "bad.lrmx"
    f.write_bytes(content)
    with pytest.raises(FileUnusable, match=words):
        with db.session() as s:
            import_lrmx(s, admin, f, today=TODAY)
    with db.session() as s:
        assert s.execute(select(func.count()).select_from(Cadre)).scalar() == 0
        assert s.execute(select(func.count()).select_from(AuditEvent)).scalar() == 0


def test_doctype_anywhere_in_a_batch_refuses_the_whole_batch(db, admin, tmp_path):
    (tmp_path / "a.lrmx").write_bytes(_person("张三", N1))
    (tmp_path / "z.lrmx").write_bytes(XXE % N2.encode())
    with pytest.raises(FileUnusable, match="DOCTYPE"):
        with db.session() as s:
            import_lrmx(s, admin, tmp_path, today=TODAY)
    with db.session() as s:
        assert s.execute(select(func.count()).select_from(Cadre)).scalar() == 0


def test_zip_that_is_not_one_and_zip_bomb_refused(db, admin, tmp_path):
    fake = tmp_path / "fake.zip"
    fake.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(FileUnusable, match="不是有效的 zip"):
        with db.session() as s:
            import_lrmx(s, admin, fake)
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.lrmx", b"<Person>" + b" " * (30 * 1024 * 1024) + b"</Person>")
    assert bomb.stat().st_size < 200_000
    with pytest.raises(FileUnusable, match="20MB|压缩炸弹"):
        with db.session() as s:
            import_lrmx(s, admin, bomb)
    huge = tmp_path / "huge.lrmx"
    with open(huge, "wb") as fh:
        fh.truncate(21 * 1024 * 1024)
    with pytest.raises(FileUnusable, match="超过20MB"):
        with db.session() as s:
            import_lrmx(s, admin, huge)


def test_gbk_declared_file_and_bare_lf(db, admin, tmp_path):
    text = f'<?xml version="1.0" encoding="gb2312"?>\n<Person>\n<XingMing>王五</XingMing>\n<ShenFenZheng>{N2}</ShenFenZheng>\n<XingBie>女</XingBie><ChuShengNianYue>198206</ChuShengNianYue></Person>'
    f = tmp_path / "王五.lrmx"
    f.write_bytes(text.encode("gbk"))
    with db.session() as s:
        res = import_lrmx(s, admin, f, dry_run=True, today=TODAY)
    assert res.created == 1
    with db.session() as s:
        assert s.execute(select(func.count()).select_from(Cadre)).scalar() == 0  # dry run
        res = import_lrmx(s, admin, f, today=TODAY)
    data, _ = _load(db, N2)
    assert data["name"] == "王五" and data["birth_date"] == date(1982, 6, 9)


def test_lrmx_bytes_escapes_text(seeded):
    with seeded.session() as s:
        c = s.execute(select(Cadre)).scalar_one()
        c.current_post = "A&B<局>"
        data = lrmx_bytes(c, today=TODAY)
    assert b"<XianRenZhiWu>A&amp;B&lt;\xe5\xb1\x80&gt;</XianRenZhiWu>" in data
