"""Hostile input in text fields and file names: very long text, control characters, SQL-looking text, `../`.
Each value is either stored exactly as given or refused with a ValidationError — never executed, never a
database error, never a file outside its folder."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from models.services import accusations as accusation_service, audit_log as audit_query
from models.services.cadres import editing as cadre_editing
from models.services.cadres import search as cadre_search
from models.services.handling import register as handling_register
from models.core import audit, settings_store
from models.entities import Cadre, Handling
from models.core.errors import PermissionDenied, ValidationError
from models.reference.id_number import make_id_number
from models.reference.pinyin import normalise_name
from models.core.safe_paths import ensure_inside, safe_filename, safe_join

TODAY = date(2026, 3, 2)
HOSTILE = {
    "sql": "张三'); DROP TABLE cadre; --",
    "sql_or": "' OR '1'='1",
    "like": "%_%\\",
    "glob": "*?[a-z]",
    "control": "红\x01\x07\x1b[31m旗\x7f",
    "nul": "甲\x00乙",
    "bidi": "\u202e文件\u202d",
    "newlines": "第一行\r\n第二行\n\t第三行",
    "astral": "𠀀堃喆〇😀",
    "html": "<b>加粗</b><script>alert(1)</script>",
    "path": "../../../etc/passwd",
    "long": "长" * 100_000,
}


def _cadre(db, actor, n=1):
    with db.session() as s:
        return cadre_editing.create_cadre(
            s, actor, {"name": f"测试{n}", "id_number": make_id_number("110101", date(1980, 1, n), n, "男")}, today=TODAY
        ).id


def _stored_or_refused(save, read_back, value, expected=None):
    """Save `value`; it must come back exactly (or as the field's documented normal form `expected`), or be
    refused with a ValidationError naming the field."""
    try:
        save(value)
    except ValidationError as exc:
        assert exc.message and exc.field
        return "refused"
    assert read_back() == (value if expected is None else expected)
    return "stored"


def _tables_intact(db):
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Cadre)) >= 0  # the table still exists
        assert audit.verify_chain(s) is None


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_cadre_text_fields(db, officer, kind):
    value = HOSTILE[kind]
    cid = _cadre(db, officer)

    for field in ("current_post", "resume", "name"):
        def save(v, field=field):
            with db.session() as s:
                cur = cadre_editing.form_values(s, officer, cid)
                cadre_editing.update_cadre(s, officer, cid, {field: v}, version=cur["version"], today=TODAY)

        def read(field=field):
            with db.session() as s:
                return getattr(s.get(Cadre, cid), field)

        # Names are stored without the spaces used for alignment (张 三 → 张三): that is the name's normal form.
        expected = normalise_name(value) if field == "name" else None
        outcome = _stored_or_refused(save, read, value, expected)
        if kind == "long" and field != "resume":
            assert outcome == "refused", (field, kind)  # longer than the column
    _tables_intact(db)


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_cadre_search_terms_are_data_not_sql(db, officer, kind):
    _cadre(db, officer, 1)
    _cadre(db, officer, 2)
    with db.session() as s:
        rows = cadre_search.search(s, officer, cadre_search.CadreFilter(text=HOSTILE[kind][:200]))
        assert rows == []  # nothing matches: no wildcard, no OR 1=1
        assert cadre_search.count(s, officer) == 2
    _tables_intact(db)


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_handling_facts_and_document_number(db, officer, kind):
    value = HOSTILE[kind]
    cid = _cadre(db, officer)
    for field in ("facts", "doc_number", "organ"):
        hid = {}

        def save(v, field=field):
            data = handling_register.HandlingInput(cadre_id=cid, regime="gov", kind="warning", decided_on=date(2025, 1, 6))
            setattr(data, field, v)
            with db.session() as s:
                hid["id"] = handling_register.create_handling(s, officer, data, TODAY).id

        def read(field=field):
            with db.session() as s:
                return getattr(s.get(Handling, hid["id"]), field)

        outcome = _stored_or_refused(save, read, value)
        if kind == "long" and field != "facts":
            assert outcome == "refused"
    _tables_intact(db)


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_settings_values_are_stored_verbatim(db, admin, kind):
    value = HOSTILE[kind]
    outcome = _stored_or_refused(
        lambda v: _put(db, admin, "org.name", v), lambda: _get(db, "org.name"), value)
    assert outcome in ("stored", "refused")
    _tables_intact(db)


def _put(db, actor, key, value):
    with db.session() as s:
        settings_store.put(s, actor, key, value)


def _get(db, key):
    with db.session() as s:
        return settings_store.get(s, key)


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_audit_entries_with_hostile_text_keep_the_chain(db, admin, kind):
    value = HOSTILE[kind]
    with db.session() as s:
        audit.record(s, admin, "update", "cadre", 1, before={"name": value}, after={value[:50]: value}, summary=value)
        audit.record(s, admin, "export", "cadre", None, summary="普通记录")
    with db.session() as s:
        assert audit.verify_chain(s) is None
        stored = value.replace("\x00", "\ufffd")  # NUL cannot be stored on PostgreSQL; shown as U+FFFD
        page = audit_query.search(s, admin, audit_query.AuditFilter(text=stored[:100]))
        assert [r.summary for r in page.rows] == [stored]
        assert audit_query.search(s, admin, audit_query.AuditFilter(actor=value[:64])).total == 0


# --- roles on the services that exist ---------------------------------------------------------------------

def test_viewer_cannot_write_and_sees_masked_id_numbers(db, officer, viewer):
    cid = _cadre(db, officer)
    with db.session() as s:
        full = s.get(Cadre, cid).id_number
    with pytest.raises(PermissionDenied):
        with db.session() as s:
            cadre_editing.create_cadre(s, viewer, {"name": "王五", "id_number": make_id_number("110101", date(1981, 2, 3), 5, "男")})
    with pytest.raises(PermissionDenied):
        with db.session() as s:
            cadre_editing.update_cadre(s, viewer, cid, {"current_post": "局长"}, version=1)
    with pytest.raises(PermissionDenied):
        with db.session() as s:
            cadre_editing.withdraw_cadre(s, viewer, cid, "测试撤回")
    with pytest.raises(PermissionDenied):
        with db.session() as s:
            handling_register.create_handling(
                s, viewer, handling_register.HandlingInput(cadre_id=cid, regime="gov", kind="warning",
                                                          decided_on=date(2025, 1, 6)), TODAY)
    with db.session() as s:
        rows = cadre_search.search(s, viewer)
        assert len(rows) == 1 and rows[0].id_number != full and "*" in rows[0].id_number
        assert rows[0].id_number[-4:] == full[-4:] and full[:6] not in rows[0].id_number and full not in repr(rows)
        assert cadre_editing.form_values(s, viewer, cid)["id_number"] != full
        # Searching by the hidden middle digits finds nothing for the viewer (no oracle for the full number).
        assert cadre_search.search(s, viewer, cadre_search.CadreFilter(text=full[6:14])) == []
        assert cadre_search.search(s, officer)[0].id_number == full
        assert s.scalar(select(Cadre.version).where(Cadre.id == cid)) == 1


def test_viewer_never_sees_the_reporter(db, officer, viewer):
    cid = _cadre(db, officer)
    with db.session() as s:
        category = accusation_service.categories(s)[0]
        row = accusation_service.create_accusation(s, officer, {
            "received_on": date(2026, 2, 1), "channel": "来信", "anonymous": False, "reporter_name": "李举报",
            "reporter_unit": "某某局", "reporter_contact": "13800000000", "category": category,
            "summary": "反映其违规收受礼金问题", "cadre_ids": [cid]}, today=TODAY)
    with db.session() as s:
        seen = accusation_service.get_accusation(s, viewer, row.id)
        listed = accusation_service.list_accusations(s, viewer)
        assert (seen.reporter_name, seen.reporter_unit, seen.reporter_contact) == (None, None, None)
        assert not seen.reporter_visible and "李举报" not in repr(seen) and "13800000000" not in repr(listed)
        assert accusation_service.list_accusations(s, viewer, text="李举报") == []
        assert accusation_service.get_accusation(s, officer, row.id).reporter_name == "李举报"
    with pytest.raises(PermissionDenied):
        with db.session() as s:
            accusation_service.create_accusation(s, viewer, {"received_on": date(2026, 2, 1), "cadre_ids": [cid]})


# --- file names -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "name,expected",
    [
        ("../../etc/passwd", "etc_passwd"),
        ("..\\..\\Windows\\system32\\a.pdf", "Windows_system32_a.pdf"),
        ("C:\\Users\\x.xlsx", "C__Users_x.xlsx"),
        ("/abs/path.pdf", "abs_path.pdf"),
        ("..", "未命名"),
        ("", "未命名"),
        ("   . ", "未命名"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("com1.tar.gz", "_com1.tar.gz"),
        ("张三\x00\n\t名单.xlsx", "张三 名单.xlsx"),
        ("\u202egpj.exe", "gpj.exe"),
        ('a<b>c:d"e|f?g*h.pdf', "a_b_c_d_e_f_g_h.pdf"),
        ("name'; DROP TABLE x;--.pdf", "name'; DROP TABLE x;--.pdf"),
    ],
)
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected


def test_safe_filename_keeps_long_chinese_names_within_bytes_and_the_extension():
    name = safe_filename("澄清正名通知" * 100 + ".pdf")
    assert name.endswith(".pdf") and len(name.encode("utf-8")) <= 200 and name.startswith("澄清正名通知")


@pytest.mark.parametrize("name", [*HOSTILE.values(), "../x", "..\\..\\x", "/etc/passwd", "a/../../b", "~/.bashrc"])
def test_safe_join_never_leaves_the_folder_and_can_be_written(tmp_path, name):
    folder = tmp_path / "exports"
    folder.mkdir()
    path = safe_join(folder, name)
    assert path.parent == folder.resolve()
    path.write_bytes(b"x")  # a real, writable file name on this system
    assert list(folder.iterdir()) == [path]


def test_safe_join_refuses_a_symlink_out_and_makes_unique_names(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    (folder / "名单.xlsx").symlink_to(outside)
    with pytest.raises(ValidationError, match="不在指定的文件夹"):
        safe_join(folder, "名单.xlsx")
    assert safe_join(folder, "名单.xlsx", unique=True).name == "名单 (2).xlsx"
    with pytest.raises(ValidationError):
        ensure_inside(folder, "../secret.txt")
    assert ensure_inside(folder, "sub/a.pdf") == (folder / "sub" / "a.pdf").resolve()
    assert outside.read_text() == "secret"


def test_every_orm_write_refuses_text_longer_than_its_column(db, admin):
    """The net under the services' own checks: SQLite would keep a too-long value, PostgreSQL fail obscurely."""
    from models.entities import Unit

    with pytest.raises(ValidationError) as err:
        with db.session() as s:
            s.add(Unit(name="长" * 201, path="/x/"))
            s.flush()
    assert err.value.field == "name" and "单位中有一项文字过长（201 字，最多 200 字）" in err.value.message
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Unit).where(Unit.path == "/x/")) == 0  # nothing written
