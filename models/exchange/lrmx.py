"""The 干部任免审批表 data files (.lrmx, domain §10): import of one file, a folder or a zip; export per cadre.

Reading is defensive: a DOCTYPE or entity declaration (XXE, "billion laughs"), broken XML, a zip that is not one,
a file over 20 MB or a zip that would unpack to more than 500 MB (zip bomb) is refused with a message and nothing
is written. Zip member names written by Windows tools are GBK bytes without the UTF-8 flag (bit 11); Python
decodes those as cp437, so they are turned back into bytes and decoded as GBK.

Matching is by ID number (domain §10.3): an existing cadre is updated (the name must agree), a new one created;
a file without a valid ID number is rejected. Family items replace the stored family when the file has any.
Export writes the elements in template order, UTF-8 with a BOM, CR LF line ends (also inside multi-line text).
"""
from __future__ import annotations

import base64
import binascii
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable
from xml.sax.saxutils import escape

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.core import audit
from models.reference import id_number as idn
from models.reference import pinyin
from models.core.actor import Actor
from models.entities import Cadre, FamilyMember
from models.core.errors import ValidationError
from models.exchange.common import FileUnusable, ImportResult, RejectedRow
from models.core.progress import Progress

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_TOTAL_BYTES = 500 * 1024 * 1024
MAX_FILES = 20_000
MAX_RATIO = 200  # uncompressed/compressed above this for a member over 1 MB: a zip bomb
MAX_PHOTO_BYTES = 2 * 1024 * 1024
VERSION = "3.2.1.6"

# (element, Cadre field or None, kind) in template order (domain §10.2). kind: text, ym (YYYYMM date), multi.
ELEMENTS: tuple[tuple[str, str | None, str], ...] = (
    ("XingMing", "name", "text"), ("XingBie", "gender", "text"), ("ChuShengNianYue", "birth_date", "ym"),
    ("MinZu", "ethnicity", "text"), ("JiGuan", "native_place", "text"), ("ChuShengDi", "birthplace", "text"),
    ("RuDangShiJian", "party_joined", "text"), ("CanJiaGongZuoShiJian", "work_started", "ym"),
    ("JianKangZhuangKuang", "health", "text"), ("ZhuanYeJiShuZhiWu", "tech_title", "text"),
    ("ShuXiZhuanYeYouHeZhuanChang", "specialty", "text"),
    ("QuanRiZhiJiaoYu_XueLi", "ft_education", "text"), ("QuanRiZhiJiaoYu_XueWei", "ft_degree", "text"),
    ("QuanRiZhiJiaoYu_XueLi_BiYeYuanXiaoXi", "ft_education_school", "text"),
    ("QuanRiZhiJiaoYu_XueWei_BiYeYuanXiaoXi", "ft_degree_school", "text"),
    ("ZaiZhiJiaoYu_XueLi", "pt_education", "text"), ("ZaiZhiJiaoYu_XueWei", "pt_degree", "text"),
    ("ZaiZhiJiaoYu_XueLi_BiYeYuanXiaoXi", "pt_education_school", "text"),
    ("ZaiZhiJiaoYu_XueWei_BiYeYuanXiaoXi", "pt_degree_school", "text"),
    ("XianRenZhiWu", "current_post", "text"), ("NiRenZhiWu", "proposed_post", "text"),
    ("NiMianZhiWu", "proposed_removal", "text"), ("JianLi", "resume", "multi"),
    ("JiangChengQingKuang", None, "multi"), ("NianDuKaoHeJieGuo", "annual_assessment_text", "multi"),
    ("RenMianLiYou", "appointment_reason", "multi"), ("JiaTingChengYuan", None, "family"),
    ("ChengBaoDanWei", "reporting_unit", "text"), ("JiSuanNianLingShiJian", None, "text"),
    ("TianBiaoShiJian", None, "text"), ("TianBiaoRen", "form_filler", "text"), ("ShenFenZheng", "id_number", "text"),
    ("ZhaoPian", "photo", "photo"), ("Version", None, "text"),
)
FAMILY_ELEMENTS = (("ChengWei", "relation"), ("XingMing", "name"), ("ChuShengRiQi", "birth"),
                   ("ZhengZhiMianMao", "political_status"), ("GongZuoDanWeiJiZhiWu", "work_and_post"))
LABELS = {
    "name": "姓名", "gender": "性别", "birth_date": "出生年月", "ethnicity": "民族", "native_place": "籍贯",
    "birthplace": "出生地", "party_joined": "入党时间", "work_started": "参加工作时间", "health": "健康状况",
    "tech_title": "专业技术职务", "specialty": "熟悉专业有何专长", "ft_education": "全日制学历", "ft_degree": "全日制学位",
    "ft_education_school": "全日制学历院校", "ft_degree_school": "全日制学位院校", "pt_education": "在职学历",
    "pt_degree": "在职学位", "pt_education_school": "在职学历院校", "pt_degree_school": "在职学位院校",
    "current_post": "现任职务", "proposed_post": "拟任职务", "proposed_removal": "拟免职务", "resume": "简历",
    "annual_assessment_text": "年度考核结果", "appointment_reason": "任免理由", "reporting_unit": "呈报单位",
    "form_filler": "填表人", "id_number": "身份证号", "photo": "照片", "is_party_member": "是否党员", "family": "家庭成员",
}
_cadre = Cadre.__table__


class UnsafeFile(FileUnusable):
    """DOCTYPE/ENTITY or a zip bomb: the whole import is refused, even in a batch."""


@dataclass
class LrmxPerson:
    source: str
    fields: dict[str, Any]  # Cadre fields (blank elements left out)
    family: list[dict[str, Any]] = field(default_factory=list)
    rewards_text: str | None = None


# ---------------------------------------------------------------------------------------------------- reading

def looks_garbled(text: str) -> bool:
    """True for text that was decoded with the wrong encoding: replacement characters, private-use characters,
    the well-known 锟斤拷/烫烫烫 runs, accented Latin letters in a Chinese file (UTF-8 read as Latin-1), or Chinese
    text made mostly of characters outside GB2312 (UTF-8 read as GBK gives rare characters such as 鍒 鐨)."""
    if "\ufffd" in text or "锟斤拷" in text or "烫烫" in text or "屯屯" in text:
        return True
    if any("\ue000" <= ch <= "\uf8ff" for ch in text):
        return True
    latin = sum(1 for ch in text if "\u00c0" <= ch <= "\u024f")
    if latin >= 2:
        return True
    cjk = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if len(cjk) >= 4:
        rare = 0
        for ch in cjk:
            try:
                ch.encode("gb2312")
            except UnicodeEncodeError:
                rare += 1
        if rare * 2 > len(cjk):
            return True
    return False


def _decode(data: bytes, name: str) -> str:
    """Strict UTF-8 first (with or without a BOM), then the declared encoding, then GB18030; UTF-16 with a BOM.
    A result that looks garbled is not taken; when none is clean the file is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates: tuple[str, ...] = ("utf-16",)
    else:
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        head = data[:200].decode("ascii", errors="replace")
        m = re.search(r"encoding\s*=\s*[\"']([A-Za-z0-9_\-]+)[\"']", head)
        declared = (m.group(1).lower() if m else "utf-8").replace("gb2312", "gbk")
        candidates = tuple(dict.fromkeys(("utf-8", declared, "gb18030")))
    garbled = False
    for codec in candidates:
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        if looks_garbled(text):
            garbled = True
            continue
        return re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)
    if garbled:
        raise FileUnusable(f"“{name}”的文字按 UTF-8、文件声明的编码和 GB18030 读出来都是乱码，未导入。"
                           "请在任免审批表软件中打开该文件，确认姓名等显示正常后重新保存或导出。")
    raise FileUnusable(f"“{name}”的文字编码无法识别（既不是 UTF-8 也不是 GBK/GB18030），文件可能已损坏。"
                       "请在任免审批表软件中重新导出该文件。")


def _text(el) -> str:
    return "" if el is None or el.text is None else el.text


def _ym(value: str, label: str) -> date | None:
    s = re.sub(r"[\s.\-/年月日]", "", value or "")
    if not s:
        return None
    if not re.fullmatch(r"\d{6}(\d{2})?", s):
        raise ValidationError(f"“{label}”应为年月（如197503），文件中为“{value.strip()}”。", label)
    y, m = int(s[:4]), int(s[4:6])
    d = int(s[6:8]) if len(s) == 8 else 1
    try:
        return date(y, m, d or 1)
    except ValueError:
        raise ValidationError(f"“{label}”中的日期“{value.strip()}”不存在。", label) from None


def parse_lrmx(data: bytes, name: str) -> LrmxPerson:
    """One .lrmx file → LrmxPerson. FileUnusable for what must never be read (DOCTYPE/ENTITY, broken XML, too
    big); ValidationError for a readable file whose content is wrong (no ID number …)."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    if len(data) > MAX_FILE_BYTES:
        raise FileUnusable(f"“{name}”有{len(data) // (1024 * 1024)}MB，超过20MB，不像是任免审批表文件，已拒绝。")
    text = _decode(data, name)
    if re.search(r"<!\s*(DOCTYPE|ENTITY)", text[:100_000], re.IGNORECASE):
        raise UnsafeFile(f"“{name}”中含有 DOCTYPE/ENTITY 声明，这可能是恶意构造的文件（XML 外部实体攻击），已拒绝，未写入任何数据。")
    try:
        root = fromstring(text, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise UnsafeFile(f"“{name}”中含有 DOCTYPE/ENTITY 声明，这可能是恶意构造的文件，已拒绝，未写入任何数据。") from None
    except ParseError as exc:
        raise FileUnusable(f"“{name}”不是完整的 XML 文件（{exc}），可能已损坏或只复制了一部分。请重新导出该文件。") from None
    if root.tag != "Person":
        raise FileUnusable(f"“{name}”不是任免审批表文件（根元素是 <{root.tag}>，应为 <Person>）。")
    fields: dict[str, Any] = {}
    person = LrmxPerson(name, fields)
    for tag, key, kind in ELEMENTS:
        el = root.find(tag)
        if el is None:
            continue
        raw = _text(el)
        if kind == "family":
            for item in el.findall("Item"):
                member = {k: (_text(item.find(t)).strip() or None) for t, k in FAMILY_ELEMENTS}
                member["name"] = pinyin.normalise_name(member["name"]) or None
                if member["name"] or member["relation"]:
                    person.family.append(member)
            continue
        if tag == "JiangChengQingKuang":
            person.rewards_text = raw.replace("\r\n", "\n").strip() or None
            continue
        if key is None:
            continue
        if kind == "photo":
            compact = re.sub(r"\s+", "", raw)
            if compact:
                try:
                    photo = base64.b64decode(compact, validate=True)
                except (binascii.Error, ValueError):
                    raise ValidationError("照片（ZhaoPian）不是有效的 Base64 数据，文件可能已损坏。", "photo") from None
                if len(photo) > MAX_PHOTO_BYTES:
                    raise ValidationError("照片超过2MB，请在任免表软件中换一张小一些的照片。", "photo")
                fields["photo"] = photo
            continue
        if kind == "ym":
            value = _ym(raw, {"birth_date": "出生年月", "work_started": "参加工作时间"}[key])
            if value is not None:
                fields[key] = value
            continue
        if kind == "multi":
            value = "\n".join(line.rstrip() for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
            value = value.strip("\n")
        else:
            value = raw.strip()
        if key == "name":
            value = pinyin.normalise_name(value)
        if value:
            fields[key] = value
    return person


def _gbk_name(info: zipfile.ZipInfo) -> str:
    """Member name: GBK bytes written by Windows tools (UTF-8 flag unset) were decoded by Python as cp437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _is_lrmx(name: str) -> bool:
    return name.lower().endswith(".lrmx")


def read_zip(path: Path) -> list[tuple[str, bytes]]:
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise FileUnusable(f"“{path.name}”不是有效的 zip 压缩包（可能已损坏，或是 rar/7z 格式）。"
                           "请用 zip 格式重新压缩后再导入。") from None
    out: list[tuple[str, bytes]] = []
    with zf:
        members = [i for i in zf.infolist() if not i.is_dir() and _is_lrmx(_gbk_name(i))]
        if len(members) > MAX_FILES:
            raise FileUnusable(f"“{path.name}”中有{len(members)}个文件，超过{MAX_FILES}个，请分批导入。")
        total = sum(i.file_size for i in members)
        if total > MAX_TOTAL_BYTES:
            raise UnsafeFile(f"“{path.name}”解压后有{total // (1024 * 1024)}MB，超过500MB，已拒绝（可能是“压缩炸弹”）。")
        for info in members:
            name = _gbk_name(info)
            if info.file_size > MAX_FILE_BYTES:
                raise UnsafeFile(f"压缩包中的“{name}”解压后超过20MB，不像是任免审批表文件，已拒绝，未写入任何数据。")
            if info.file_size > 1024 * 1024 and info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
                raise UnsafeFile(f"压缩包中的“{name}”压缩比异常（可能是“压缩炸弹”），已拒绝，未写入任何数据。")
            try:
                with zf.open(info) as fh:
                    data = fh.read(MAX_FILE_BYTES + 1)  # never trust the declared size alone
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError) as exc:
                raise FileUnusable(f"压缩包中的“{name}”无法解压（{exc}），压缩包可能已损坏或设置了密码。") from None
            if len(data) > MAX_FILE_BYTES:
                raise UnsafeFile(f"压缩包中的“{name}”解压后超过20MB，已拒绝（可能是“压缩炸弹”），未写入任何数据。")
            out.append((name.replace("\\", "/").split("/")[-1], data))
    if not out:
        raise FileUnusable(f"压缩包“{path.name}”中没有 .lrmx 文件。")
    return out


def collect_sources(path: str | Path) -> list[tuple[str, bytes]]:
    """(display name, bytes) of every .lrmx in a file, a folder (with sub-folders) or a zip."""
    p = Path(path)
    if not p.exists():
        raise FileUnusable(f"找不到“{p}”，请检查路径。")
    if p.is_dir():
        files = sorted(f for f in p.rglob("*") if f.is_file() and _is_lrmx(f.name))
        if not files:
            raise FileUnusable(f"文件夹“{p}”中没有 .lrmx 文件。")
        if len(files) > MAX_FILES:
            raise FileUnusable(f"文件夹中有{len(files)}个 .lrmx 文件，超过{MAX_FILES}个，请分批导入。")
        out = []
        for f in files:
            if f.stat().st_size > MAX_FILE_BYTES:
                raise FileUnusable(f"“{f.name}”超过20MB，不像是任免审批表文件，已拒绝，未写入任何数据。")
            out.append((str(f.relative_to(p)), f.read_bytes()))
        return out
    if p.suffix.lower() == ".zip" or (zipfile.is_zipfile(p) and not _is_lrmx(p.name)):
        return read_zip(p)
    if p.suffix.lower() == ".lrm":
        raise FileUnusable(f"“{p.name}”是旧版 .lrm 文件，本程序只读 .lrmx。请在任免表软件中打开并另存为 .lrmx。")
    if not _is_lrmx(p.name):
        raise FileUnusable(f"“{p.name}”不是 .lrmx 文件，也不是 zip 压缩包或文件夹。")
    if p.stat().st_size > MAX_FILE_BYTES:
        raise FileUnusable(f"“{p.name}”超过20MB，不像是任免审批表文件，已拒绝。")
    return [(p.name, p.read_bytes())]


# ---------------------------------------------------------------------------------------------------- import

def _check_person(person: LrmxPerson, today: date | None) -> dict[str, Any]:
    f = dict(person.fields)
    if not f.get("name"):
        raise ValidationError("文件中没有姓名（XingMing），未导入。", "name")
    if not f.get("id_number"):
        raise ValidationError("文件中没有身份证号（ShenFenZheng），无法确定是哪位干部，未导入。", "id_number")
    info = idn.parse(f["id_number"], "id_number", today)
    f["id_number"] = info.number
    if f.get("gender") and f["gender"] != info.gender:
        raise ValidationError(f"性别与身份证号不符：身份证号表明为{info.gender}，文件中为{f['gender']}。", "gender")
    f["gender"] = info.gender
    born = f.get("birth_date")
    if born is not None and (born.year, born.month) != (info.birth_date.year, info.birth_date.month):
        raise ValidationError(f"出生年月与身份证号不符：身份证号中为{info.birth_date:%Y%m}，文件中为{born:%Y%m}。", "birth_date")
    f["birth_date"] = info.birth_date
    for key in ("work_started",):
        if f.get(key) is not None and today is not None and f[key] > today:
            raise ValidationError("参加工作时间晚于今天，请核对。", key)
    for key, value in list(f.items()):
        col = _cadre.c[key]
        length = getattr(col.type, "length", None)
        if length and isinstance(value, str) and len(value) > length:
            raise ValidationError(f"“{LABELS.get(key, key)}”的内容超过{length}个字，请在任免表软件中精简后再导出。", key)
    if f.get("party_joined"):
        f["is_party_member"] = bool(re.match(r"\d{6}", f["party_joined"]))
    return f


def _family_rows(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for n, m in enumerate(items):
        birth = re.sub(r"\D", "", m.get("birth") or "")[:6] or None
        out.append({"sort_order": n, "relation": (m.get("relation") or "")[:20] or "其他",
                    "name": (m.get("name") or "")[:40] or "（未填）", "birth": birth,
                    "political_status": (m.get("political_status") or None) and m["political_status"][:30],
                    "work_and_post": (m.get("work_and_post") or None) and m["work_and_post"][:130]})
    return out


def import_lrmx(session: Session, actor: Actor, path: str | Path, *, dry_run: bool = False,
                today: date | None = None, progress: Progress | None = None, mapping: Any = None,
                allow_renames: bool = False,
                sheet: str | None = None) -> ImportResult:
    """Import every .lrmx of `path` (file, folder or zip). A file that cannot be used at all (security, broken
    XML when it is the only one, not a zip) raises FileUnusable; in a batch a broken or invalid file is rejected
    and listed, the others imported. DOCTYPE/ENTITY or a zip bomb anywhere refuses the whole batch. Sex and
    birth date of an existing cadre are listed, not changed, unless `allow_renames` (a name that differs is
    rejected: the file is matched by name and ID number)."""
    from models.exchange import import_ledger
    from models.exchange.cadre_import import IDENTITY_KEYS, shown
    from models.exchange.common import FieldChange, RowChange
    from models.exchange.import_run import file_sha256

    actor.require("write")
    progress = progress or Progress()
    sources = collect_sources(path)
    result = ImportResult(kind="lrmx", source=Path(path).name, dry_run=dry_run,
                          file_hash=file_sha256(path) if Path(path).is_file() else "")
    items: list[import_ledger.Item] = []
    people: list[tuple[str, dict[str, Any], list[dict]]] = []
    for n, (name, data) in enumerate(sources, 1):
        progress.check()
        progress.update(n, len(sources), f"正在读取 {name}…")
        person: LrmxPerson | None = None
        try:
            person = parse_lrmx(data, name)
            fields = _check_person(person, today)
        except UnsafeFile:
            raise
        except FileUnusable as exc:
            if len(sources) == 1:
                raise
            result.rejected.append(RejectedRow(name, exc.message))
            continue
        except ValidationError as exc:
            shown = person.fields if person is not None else {}
            result.rejected.append(RejectedRow(name, exc.message, shown.get("name", ""), str(shown.get("id_number", ""))))
            continue
        people.append((name, fields, _family_rows(person.family)))
    seen: dict[str, str] = {}
    created_ids: list[int] = []
    for name, fields, family in people:
        progress.check()
        number = fields["id_number"]
        if number in seen:
            result.rejected.append(RejectedRow(name, f"与“{seen[number]}”是同一身份证号，只导入了前一个文件。",
                                               fields["name"], number))
            continue
        seen[number] = name
        existing = session.execute(select(Cadre).where(Cadre.id_number == number)).scalar()
        if existing is None:
            result.created += 1
            result.add(name, fields["name"], "新增")
            if dry_run:
                continue
            cadre = Cadre(**{"status": "在职", "is_party_member": False, "is_grassroots": False, **fields})
            cadre.name_pinyin, cadre.name_initials = pinyin.name_search_keys(cadre.name)
            for m in family:
                cadre.family.append(FamilyMember(**m))
            session.add(cadre)
            session.flush()
            created_ids.append(cadre.id)
            continue
        if existing.withdrawn_at is not None:
            result.rejected.append(RejectedRow(name, f"该身份证号属于已撤销的干部记录“{existing.name}”，未导入。如需恢复请联系管理员。",
                                               fields["name"], number))
            continue
        if existing.name != fields["name"]:
            result.rejected.append(RejectedRow(
                name, f"姓名与身份证号不符：该身份证号登记的干部是“{existing.name}”，文件中为“{fields['name']}”。请核对。",
                fields["name"], number))
            continue
        changed = [k for k, v in fields.items() if getattr(existing, k) != v]
        identity = [FieldChange(LABELS.get(k, k), shown(getattr(existing, k)), shown(fields[k]))
                    for k in IDENTITY_KEYS if k in changed]
        if identity and not allow_renames:
            result.held.append(RowChange(name, existing.name, "身份信息与库中不同，未更改", identity,
                                         "（如确需更改，请选择“同时更改姓名/性别/出生日期”，命令行加 --allow-renames）"))
            changed = [k for k in changed if k not in IDENTITY_KEYS]
        old_family = [(m.relation, m.name, m.birth, m.political_status, m.work_and_post) for m in existing.family]
        new_family = [(m["relation"], m["name"], m["birth"], m["political_status"], m["work_and_post"]) for m in family]
        family_changed = bool(family) and old_family != new_family
        if not changed and not family_changed:
            result.unchanged += 1
            continue
        result.updated += 1
        result.add(name, existing.name, "更新",
                   [FieldChange(LABELS.get(k, k), "（照片）" if k == "photo" else shown(getattr(existing, k)),
                                "（新照片）" if k == "photo" else shown(fields[k])) for k in changed]
                   + ([FieldChange(LABELS.get("family", "家庭成员"), f"{len(old_family)}人", f"{len(new_family)}人")]
                      if family_changed else []))
        if dry_run:
            continue
        before = {k: getattr(existing, k) for k in changed}
        if "photo" in before:
            before["photo"] = base64.b64encode(before["photo"]).decode("ascii") if before["photo"] else None
        if family_changed:
            before["_family"] = [{"relation": m.relation, "name": m.name, "birth": m.birth,
                                  "political_status": m.political_status, "work_and_post": m.work_and_post,
                                  "sort_order": m.sort_order} for m in existing.family]
        for k in changed:
            setattr(existing, k, fields[k])
        if family_changed:
            existing.family.clear()
            session.flush()
            for m in family:
                existing.family.append(FamilyMember(**m))
        if not changed:
            existing.version += 1
        session.flush()
        items.append(import_ledger.Item("cadre", existing.id, "changed", before, existing.version))
    if dry_run:
        return result
    audit.record(session, actor, "import", "cadre", None, summary=f"从“{result.source}”导入任免审批表：{result.summary()}",
                 after={"file": result.source, "created": result.created, "updated": result.updated,
                        "unchanged": result.unchanged, "rejected": len(result.rejected), "created_ids": created_ids})
    versions = dict(session.execute(select(Cadre.id, Cadre.version).where(Cadre.id.in_(created_ids))).all()) if created_ids else {}
    items = [import_ledger.Item("cadre", i, "created", version=versions.get(i, 1)) for i in created_ids] + items
    import_ledger.record(session, actor, result, items)
    session.flush()
    return result


# ---------------------------------------------------------------------------------------------------- export

def _ym_text(d: date | None) -> str:
    return "" if d is None else f"{d.year}{d.month:02d}"


def _crlf(text: str | None) -> str:
    if not text:
        return ""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")


def lrmx_bytes(cadre: Cadre, *, today: date, rewards_text: str | None = None) -> bytes:
    """One cadre as an .lrmx file: UTF-8 with a BOM, CR LF, every element present in template order."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<Person>"]
    for tag, key, kind in ELEMENTS:
        if kind == "family":
            lines.append("  <JiaTingChengYuan>")
            for m in cadre.family:
                lines.append("    <Item>")
                for t, k in FAMILY_ELEMENTS:
                    lines.append(f"      <{t}>{escape(getattr(m, k) or '')}</{t}>")
                lines.append("    </Item>")
            lines.append("  </JiaTingChengYuan>")
            continue
        if tag == "JiangChengQingKuang":
            value = rewards_text or "无"
        elif tag == "JiSuanNianLingShiJian":
            value = f"{today:%Y%m%d}"
        elif tag == "TianBiaoShiJian":
            value = f"{today:%Y%m}"
        elif tag == "Version":
            value = VERSION
        elif kind == "photo":
            value = base64.b64encode(cadre.photo).decode("ascii") if cadre.photo else ""
        elif kind == "ym":
            value = _ym_text(getattr(cadre, key))
        else:
            value = getattr(cadre, key) or ""
        lines.append(f"  <{tag}>{escape(_crlf(str(value)))}</{tag}>")
    lines.append("</Person>")
    return b"\xef\xbb\xbf" + ("\r\n".join(lines) + "\r\n").encode("utf-8")


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def lrmx_file_name(cadre: Cadre) -> str:
    return f"{_UNSAFE.sub('_', cadre.name)}{cadre.id_number}.lrmx"


@dataclass(frozen=True)
class LrmxExportResult:
    folder: Path
    files: list[Path]


def check_output_folder(folder: str | Path) -> Path:
    p = Path(folder)
    if ".." in p.parts:
        raise FileUnusable(f"输出路径“{folder}”中含有“..”，为安全起见不予使用。请写出完整的文件夹路径。")
    if p.exists() and not p.is_dir():
        raise FileUnusable(f"“{p}”是一个文件，不是文件夹。请给出要存放 .lrmx 文件的文件夹。")
    if not p.exists():
        if not p.parent.is_dir():
            raise FileUnusable(f"输出文件夹“{p}”的上一级文件夹“{p.parent}”不存在，请先建立它或换一个位置。")
        try:
            p.mkdir()  # one new folder for the export, as officers expect; not a whole missing path
        except OSError as exc:
            raise FileUnusable(f"无法建立输出文件夹“{p}”：{exc.strerror or exc}。请换一个位置。") from None
    return p


def _rewards(session: Session, cadre_id: int) -> str | None:
    try:
        from models.services.cadres.appointment_text import rewards_and_sanctions_text
    except ImportError:  # the cadre service is not there yet
        return None
    return rewards_and_sanctions_text(session, cadre_id)


def export_lrmx(session: Session, actor: Actor, folder: str | Path, cadre_ids: Iterable[int] | None = None, *,
                today: date, progress: Progress | None = None) -> LrmxExportResult:
    """One .lrmx file per cadre (all that are not withdrawn, or the given ids) into `folder`."""
    actor.require("export")
    if not actor.can("see_id_number"):
        actor.require("see_id_number")
    target = check_output_folder(folder)
    progress = progress or Progress()
    if cadre_ids is None:
        ids = list(session.execute(select(Cadre.id).where(Cadre.withdrawn_at.is_(None)).order_by(Cadre.id)).scalars())
    else:
        ids = list(cadre_ids)
    files: list[Path] = []
    for n, cid in enumerate(ids, 1):
        progress.check()
        progress.update(n, len(ids), "正在导出任免审批表…")
        cadre = session.get(Cadre, cid)
        if cadre is None:
            continue
        path = target / lrmx_file_name(cadre)
        try:
            path.write_bytes(lrmx_bytes(cadre, today=today, rewards_text=_rewards(session, cid)))
        except OSError as exc:
            raise FileUnusable(f"无法写入“{path}”：{exc.strerror or exc}。") from None
        files.append(path)
    audit.record(session, actor, "export", "cadre", None, summary=f"导出任免审批表 {len(files)} 份到“{target}”",
                 after={"folder": str(target), "count": len(files)})
    return LrmxExportResult(target, files)
