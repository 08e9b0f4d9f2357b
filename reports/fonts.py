"""TrueType CJK fonts for documents (design §5): found in a fixed order, checked character by character.

reportlab embeds (and subsets) only TrueType outlines (.ttf/.ttc with a `glyf` table); PostScript-outline
fonts (Noto CJK, Source Han, most .otf) are refused, and a character missing from the font prints as
nothing. So:

1. fonts are looked for in this order: the font chosen in 设置 (`documents.font_path`, `documents.title_font_path`);
   Windows' 仿宋 simfang.ttf, 宋体 simsun.ttc, 黑体 simhei.ttf, 楷体 simkai.ttf; the 方正 / GB2312 fonts offices
   install (方正小标宋 FZXBSJW, 仿宋_GB2312, 楷体_GB2312 …); then common Linux fonts (WenQuanYi Micro Hei / Zen Hei,
   AR PL UMing / UKai, LXGW WenKai);
2. each role (body 仿宋, title 小标宋, 黑体 headings, 楷体, 宋体 page numbers) takes the first font found that suits
   it, and every other font found is a fallback;
3. every character of a text is looked up in the font's cmap (fontTools); a character the font lacks is taken
   from the first fallback that has it (the text is split into runs); when no installed font has it, an
   AppError names the character and its code point. The built-in CID font STSong-Light is never used.

Loaded fonts and cmaps are cached for the life of the process (a notice must build in well under 100 ms once
its fonts are loaded).
"""
from __future__ import annotations

import hashlib
import logging
import os
import sys
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from models.core.errors import AppError

log = logging.getLogger(__name__)

ROLES = ("body", "title", "hei", "kai", "song")
ROLE_LABELS = {"body": "正文（仿宋）", "title": "标题（小标宋）", "hei": "黑体", "kai": "楷体", "song": "宋体（页码）"}


@dataclass(frozen=True)
class KnownFont:
    files: tuple[str, ...]  # file names to look for (case-insensitive)
    label: str  # Chinese name shown in 设置
    roles: tuple[str, ...]  # roles this font is the preferred choice for


# The search order of design §5. Within it, a role prefers the fonts that list it.
KNOWN_FONTS: tuple[KnownFont, ...] = (
    # Windows
    KnownFont(("simfang.ttf",), "仿宋", ("body",)),
    KnownFont(("simsun.ttc", "simsun.ttf"), "宋体", ("song",)),
    KnownFont(("simhei.ttf",), "黑体", ("hei",)),
    KnownFont(("simkai.ttf",), "楷体", ("kai",)),
    # 方正 and GB2312 fonts offices install
    KnownFont(("FZXBSJW.TTF", "方正小标宋简体.ttf", "方正小标宋_GBK.ttf", "FZXBSK.TTF", "FZXiaoBiaoSong-B05S.ttf"),
              "方正小标宋", ("title",)),
    KnownFont(("仿宋_GB2312.ttf", "FS_GB2312.ttf", "SIMFANG_GB2312.TTF", "FangSong_GB2312.ttf"), "仿宋_GB2312", ("body",)),
    KnownFont(("楷体_GB2312.ttf", "KAI_GB2312.ttf", "SIMKAI_GB2312.TTF", "KaiTi_GB2312.ttf"), "楷体_GB2312", ("kai",)),
    KnownFont(("FZFSJW.TTF", "FZFSK.TTF", "方正仿宋简体.ttf", "方正仿宋_GBK.ttf"), "方正仿宋", ("body",)),
    KnownFont(("FZHTJW.TTF", "FZHTK.TTF", "方正黑体简体.ttf", "方正黑体_GBK.ttf"), "方正黑体", ("hei",)),
    KnownFont(("FZKTJW.TTF", "FZKTK.TTF", "方正楷体简体.ttf", "方正楷体_GBK.ttf"), "方正楷体", ("kai",)),
    KnownFont(("simsunb.ttf",), "宋体-ExtB（生僻字）", ()),  # Windows: CJK Extension B characters
    # common Linux fonts
    KnownFont(("wqy-microhei.ttc",), "文泉驿微米黑", ()),
    KnownFont(("wqy-zenhei.ttc",), "文泉驿正黑", ()),
    KnownFont(("uming.ttc",), "文鼎明体（AR PL UMing）", ()),
    KnownFont(("ukai.ttc",), "文鼎楷体（AR PL UKai）", ("kai",)),
    KnownFont(("LXGWWenKai-Regular.ttf", "LXGWWenKaiGB-Regular.ttf"), "霞鹜文楷", ()),
)

def font_dirs() -> list[Path]:
    """Folders searched for fonts on this computer, Windows folders first."""
    dirs: list[Path] = []
    windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    if sys.platform == "win32":
        dirs.append(Path("C:/Windows/Fonts"))
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    home = Path.home()
    dirs += [
        home / ".local/share/fonts", home / ".fonts", Path("/usr/local/share/fonts"), Path("/usr/share/fonts"),
        Path("/Library/Fonts"), home / "Library/Fonts", Path("/System/Library/Fonts"),
    ]
    seen, result = set(), []
    for d in dirs:
        key = str(d).lower()
        if key not in seen and d.is_dir():
            seen.add(key)
            result.append(d)
    return result


@dataclass(frozen=True)
class FontFile:
    """One font inside a file (a .ttc holds several; `index` picks one)."""

    path: str
    index: int = 0
    label: str = ""

    @property
    def key(self) -> tuple[str, int]:
        return (os.path.normcase(os.path.abspath(self.path)), self.index)


@dataclass
class Face:
    """A loaded font: its reportlab name, its cmap, its metrics (per 1000 units of the em)."""

    file: FontFile
    name: str  # registered reportlab name
    family: str
    cmap: frozenset[int]
    ascent: float  # fraction of the size
    descent: float  # fraction of the size, negative
    widths: dict[int, float]
    default_width: float

    def has(self, ch: str) -> bool:
        return ord(ch) in self.cmap

    def advance(self, ch: str) -> float:
        """Advance width of `ch` in em units (1.0 = the size)."""
        return self.widths.get(ord(ch), self.default_width) / 1000.0


# --------------------------------------------------------------------------------------------- caches
_lock = threading.RLock()
_faces: dict[tuple[str, int], Face] = {}
_bad: dict[tuple[str, int], str] = {}
_index_cache: dict[str, list[tuple[int, str]]] = {}


def _file_fonts(path: str) -> list[tuple[int, str]]:
    """(index, family name) of every font in a .ttf/.ttc that has TrueType outlines; [] when unusable."""
    with _lock:
        if path in _index_cache:
            return _index_cache[path]
    from fontTools.ttLib import TTCollection, TTFont, TTLibError

    result: list[tuple[int, str]] = []
    try:
        with open(path, "rb") as fh:
            tag = fh.read(4)
        fonts = TTCollection(path, lazy=True).fonts if tag == b"ttcf" else [TTFont(path, lazy=True)]
        for i, font in enumerate(fonts):
            if "glyf" in font and "CFF " not in font and "CFF2" not in font:
                result.append((i, _family_name(font)))
    except (OSError, TTLibError, AssertionError, KeyError, ValueError) as exc:
        log.info("font %s unusable: %s", path, exc)
    with _lock:
        _index_cache[path] = result
    return result


def _family_name(font) -> str:
    names = font["name"]
    for lang in (0x804, 0x404, 0xC04):  # zh-CN, zh-TW, zh-HK
        rec = names.getName(1, 3, 1, lang)
        if rec is not None:
            return rec.toUnicode()
    return names.getDebugName(1) or "?"


def _registered_name(f: FontFile) -> str:
    digest = hashlib.sha1(f"{f.key[0]}#{f.index}".encode("utf-8")).hexdigest()[:8]
    return f"cc{digest}"


def load_face(f: FontFile) -> Face:
    """Load (once) and register a font with reportlab. AppError when it is not an embeddable TrueType font."""
    key = f.key
    with _lock:
        face = _faces.get(key)
        if face is not None:
            return face
        if key in _bad:
            raise AppError(_bad[key])
        path = Path(f.path)
        if not path.is_file():
            message = f"找不到字体文件“{f.path}”。请在“设置 → 公文与字体”中重新选择字体。"
            raise AppError(message)
        usable = dict(_file_fonts(str(path)))
        if f.index not in usable:
            message = (
                f"字体“{path.name}”不是可嵌入的 TrueType 字体（可能是 PostScript 轮廓的 OpenType 字体，如思源、Noto CJK），"
                "PDF 无法嵌入。请选择 .ttf 或 .ttc 格式的字体，如仿宋、宋体、方正小标宋。"
            )
            _bad[key] = message
            raise AppError(message)
        from fontTools.ttLib import TTCollection, TTFont
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont as RLTTFont

        try:
            with open(path, "rb") as fh:
                is_ttc = fh.read(4) == b"ttcf"
            ft = TTCollection(str(path), lazy=True).fonts[f.index] if is_ttc else TTFont(str(path), lazy=True)
            cmap = frozenset(ft.getBestCmap() or {})
            name = _registered_name(f)
            rl = RLTTFont(name, str(path), subfontIndex=f.index)
        except Exception as exc:  # noqa: BLE001 - any parse failure of a font file is the same user problem
            message = f"无法读取字体“{path.name}”（{exc}）。请换一种字体。"
            _bad[key] = message
            raise AppError(message) from exc
        pdfmetrics.registerFont(rl)
        rf = rl.face
        face = Face(
            file=f, name=name, family=usable[f.index], cmap=cmap,
            ascent=rf.ascent / 1000.0, descent=rf.descent / 1000.0,
            widths=dict(rf.charWidths), default_width=float(rf.defaultWidth),
        )
        _faces[key] = face
        return face


def find_known_fonts(dirs: Sequence[Path] | None = None) -> list[tuple[KnownFont, FontFile]]:
    """Known fonts present on this computer, in the search order of design §5 (first index of a .ttc)."""
    dirs = list(font_dirs() if dirs is None else dirs)
    by_name: dict[str, Path] = {}
    for d in dirs:
        try:
            for root, _subdirs, files in os.walk(d):
                for name in files:
                    by_name.setdefault(name.lower(), Path(root) / name)
        except OSError:
            continue
    found = []
    for known in KNOWN_FONTS:
        for file_name in known.files:
            path = by_name.get(file_name.lower())
            if path is not None:
                found.append((known, FontFile(str(path), 0, known.label)))
                break
    return found


def other_font_files(dirs: Sequence[Path] | None = None) -> list[FontFile]:
    """Every other .ttf/.ttc in the font folders (looked at only when no known font has a character)."""
    known_names = {n.lower() for k in KNOWN_FONTS for n in k.files}
    result = []
    for d in list(font_dirs() if dirs is None else dirs):
        for root, _subdirs, files in os.walk(d):
            for name in sorted(files):
                if name.lower().endswith((".ttf", ".ttc")) and name.lower() not in known_names:
                    result.append(FontFile(str(Path(root) / name), 0, name))
    return result


@dataclass
class FontChoice:
    """What 设置 stores: a font file and the index inside a .ttc; empty path = automatic."""

    path: str = ""
    index: int = 0


@dataclass
class FontConfig:
    body: FontChoice = field(default_factory=FontChoice)
    title: FontChoice = field(default_factory=FontChoice)


def config_from_settings(values: dict) -> FontConfig:
    return FontConfig(
        body=FontChoice(str(values.get("documents.font_path") or ""), int(values.get("documents.font_index") or 0)),
        title=FontChoice(str(values.get("documents.title_font_path") or ""),
                         int(values.get("documents.title_font_index") or 0)),
    )


def load_config(session) -> FontConfig:
    """The fonts chosen in 设置 (stored in the database, shared by every PC on it)."""
    from models.core import settings_store

    return config_from_settings(settings_store.get_many(session, "documents."))


def _locate_choice(choice: FontChoice, dirs: Sequence[Path] | None) -> FontFile | None:
    """The chosen file; on another PC with the font in a different folder, the same file name there."""
    if not choice.path:
        return None
    if Path(choice.path).is_file():
        return FontFile(choice.path, choice.index, Path(choice.path).name)
    wanted = Path(choice.path.replace("\\", "/")).name.lower()
    for d in list(font_dirs() if dirs is None else dirs):
        for root, _subdirs, files in os.walk(d):
            for name in files:
                if name.lower() == wanted:
                    log.info("chosen font %s not found; using %s", choice.path, Path(root) / name)
                    return FontFile(str(Path(root) / name), choice.index, name)
    log.warning("chosen font %s not found on this computer; using the automatic choice", choice.path)
    return None


class MissingGlyphError(AppError):
    """No installed font has a character of the text."""

    def __init__(self, ch: str, context: str = ""):
        where = f"（出现在“{context}”中）" if context else ""
        super().__init__(
            f"字符“{ch}”（U+{ord(ch):04X}）{where}在本机已安装的字体中都没有，打印出来会是空白或方框，因此没有生成文书。"
            "请安装含有该字的字体（如 Windows 的“宋体-ExtB”simsunb.ttf 或方正、GB18030 全字库字体），"
            "再在“设置 → 公文与字体”中选用；或请管理员确认该字的写法。"
        )
        self.char = ch


_SKIP_CATEGORIES = ("Cc", "Cf", "Zl", "Zp")


class FontSet:
    """The faces used by one document: one per role, plus the fallback chain for missing characters.

    Attributes:
        roles: role → Face (body, title, hei, kai, song).
        chain: every usable face, in search order (fallbacks).
        note: a Chinese sentence when the chosen font could not be used (shown in 设置).
    """

    def __init__(self, roles: dict[str, Face], chain: list[Face], extra: Iterable[FontFile] = (), note: str = ""):
        self.roles = roles
        self.chain = chain
        self.note = note
        self._extra = list(extra)  # not yet loaded: looked at only for a character nobody else has
        self._char_face: dict[tuple[str, str], Face] = {}

    def face(self, role: str) -> Face:
        return self.roles.get(role) or self.roles["body"]

    def _fallback_for(self, ch: str) -> Face | None:
        with _lock:
            return self._fallback_locked(ch)

    def _fallback_locked(self, ch: str) -> Face | None:
        cp = ord(ch)
        for face in self.chain:
            if cp in face.cmap:
                return face
        while self._extra:  # lazily load the other fonts of the computer, once
            candidate = self._extra.pop(0)
            for index, _family in _file_fonts(candidate.path):
                try:
                    face = load_face(FontFile(candidate.path, index, candidate.label))
                except AppError:
                    continue
                self.chain.append(face)
                if cp in face.cmap:
                    return face
        return None

    def face_for(self, ch: str, role: str = "body", context: str = "") -> Face:
        key = (role, ch)
        face = self._char_face.get(key)
        if face is not None:
            return face
        primary = self.face(role)
        if ord(ch) in primary.cmap:
            face = primary
        else:
            face = self._fallback_for(ch)
            if face is None:
                raise MissingGlyphError(ch, context)
        self._char_face[key] = face
        return face

    def runs(self, text: str, role: str = "body") -> list[tuple[Face, str]]:
        """Split `text` into (face, piece) runs so that every character is drawn by a font that has it."""
        result: list[tuple[Face, str]] = []
        current: Face | None = None
        buf: list[str] = []
        for ch in text:
            if unicodedata.category(ch) in _SKIP_CATEGORIES:
                continue
            face = self.face_for(ch, role, text if len(text) <= 40 else text[:40] + "…")
            if face is not current and buf:
                result.append((current, "".join(buf)))  # type: ignore[arg-type]
                buf = []
            current = face
            buf.append(ch)
        if buf:
            result.append((current, "".join(buf)))  # type: ignore[arg-type]
        return result

    def check(self, text: str, role: str = "body") -> None:
        """Raise MissingGlyphError for the first character no installed font has."""
        self.runs(text, role)

    def missing(self, text: str) -> list[str]:
        """Characters of `text` that no installed font has (for messages that list them all)."""
        out = []
        for ch in dict.fromkeys(text):
            if unicodedata.category(ch) in _SKIP_CATEGORIES:
                continue
            try:
                self.face_for(ch)
            except MissingGlyphError:
                out.append(ch)
        return out

    def width(self, text: str, size: float, role: str = "body") -> float:
        return sum(self.face_for(ch, role).advance(ch) for ch in text) * size

    def faces_used(self) -> list[Face]:
        return list({id(f): f for f in self.chain}.values())


_fontset_cache: dict[tuple, FontSet] = {}


def resolve(config: FontConfig | None = None, dirs: Sequence[Path] | None = None,
            files: Sequence[FontFile] | None = None) -> FontSet:
    """The FontSet for the chosen fonts and what this computer has (cached).

    `files` replaces the search (tests, and the preview of one font in 设置): the first is the body font.
    Raises AppError when no usable TrueType CJK font exists at all.
    """
    config = config or FontConfig()
    cache_key = (
        config.body.path, config.body.index, config.title.path, config.title.index,
        tuple(map(str, dirs)) if dirs is not None else None, tuple(f.key for f in files) if files is not None else None,
    )
    with _lock:
        cached = _fontset_cache.get(cache_key)
        if cached is not None:
            return cached
    note = ""
    preferred: dict[str, list[FontFile]] = {r: [] for r in ROLES}
    order: list[FontFile] = []
    if files is not None:
        order = list(files)
        extra: list[FontFile] = []
    else:
        for role, choice in (("body", config.body), ("title", config.title)):
            located = _locate_choice(choice, dirs)
            if located is not None:
                preferred[role].append(located)
                order.append(located)
            elif choice.path:
                note = f"设置中选用的字体“{choice.path}”在本机找不到，已改用自动查找到的字体。"
        for known, ff in find_known_fonts(dirs):
            order.append(ff)
            for role in known.roles:
                preferred[role].append(ff)
        extra = other_font_files(dirs)
    # each role takes the first of its preferred fonts that loads; the rest of the order is loaded only
    # when a character is missing (fallback), so resolving costs one or two font loads, not all of them
    loaded: dict[tuple[str, int], Face] = {}

    def try_load(ff: FontFile) -> Face | None:
        nonlocal note
        if ff.key in loaded:
            return loaded[ff.key]
        try:
            face = load_face(ff)
        except AppError as exc:
            if ff in preferred["body"][:1] or ff in preferred["title"][:1]:
                note = exc.message
            return None
        loaded[ff.key] = face
        return face

    roles: dict[str, Face] = {}
    for role in ("body", "title", "hei", "kai", "song"):
        for ff in preferred[role]:
            face = try_load(ff)
            if face is not None:
                roles[role] = face
                break
    if "body" not in roles:
        for ff in order:
            face = try_load(ff)
            if face is not None:
                roles["body"] = face
                break
    if "body" not in roles:
        raise AppError(
            "本机没有找到可嵌入 PDF 的中文 TrueType 字体（如仿宋 simfang.ttf、宋体 simsun.ttc、文泉驿 wqy-microhei.ttc），"
            "无法生成文书。请安装其中一种字体，或在“设置 → 公文与字体”中选择字体文件。"
        )
    for role in ROLES:
        roles.setdefault(role, roles["body"])
    chain = [roles["body"]] + [f for f in loaded.values() if f is not roles["body"]]
    pending = [ff for ff in order if ff.key not in loaded]
    fs = FontSet(roles, chain, pending + list(extra), note)
    with _lock:
        _fontset_cache[cache_key] = fs
    return fs


def available_fonts(dirs: Sequence[Path] | None = None) -> list[tuple[str, FontFile]]:
    """(label, font) of every usable font a user can choose in 设置: known ones first, then the others."""
    result = []
    for known, ff in find_known_fonts(dirs):
        for index, family in _file_fonts(ff.path):
            result.append((f"{known.label} — {family}", FontFile(ff.path, index, family)))
    return result


def clear_caches() -> None:
    """Forget resolved font sets (after 设置 changes the chosen font). Loaded faces stay registered."""
    with _lock:
        _fontset_cache.clear()


def for_session(session) -> FontSet:
    """The FontSet for the fonts chosen in 设置 of this database (what every document module should use)."""
    return resolve(load_config(session))
