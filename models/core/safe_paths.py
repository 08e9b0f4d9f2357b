"""File names built from user data (a cadre's name in an export, an attachment's original name) must never
leave the folder they are meant for, nor fail on Windows.

    from models.core.safe_paths import safe_filename, safe_join
    path = safe_join(out_folder, f"{cadre.name}-澄清通知.pdf")   # always inside out_folder

`safe_filename` turns any text into one plain file name: path separators, `..`, drive letters, control and
invisible direction characters, Windows' forbidden characters and reserved device names (CON, NUL, COM1 …)
are neutralised; the result fits in 200 bytes of UTF-8 with its extension kept. `safe_join` additionally
refuses a result that would resolve outside the folder (e.g. through a symbolic link already there).
`ensure_inside` checks a path someone else chose (e.g. an attachment path read from the database).
"""
from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

from models.core.errors import ValidationError

MAX_NAME_BYTES = 200  # below the 255-byte limit of ext4/NTFS, leaving room for " (2)" and a temp suffix
_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def _is_invisible(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")


def _truncate_utf8(text: str, max_bytes: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= max_bytes:
        return text
    return data[:max_bytes].decode("utf-8", errors="ignore")


def safe_filename(name: object, default: str = "未命名", max_bytes: int = MAX_NAME_BYTES) -> str:
    """One file name (no folders) made from arbitrary text; never empty, never `.`/`..`, Windows-safe."""
    text = unicodedata.normalize("NFC", "" if name is None else str(name))
    text = "".join(" " if _is_invisible(ch) else ch for ch in text)
    # Folders in the text become part of the name: "../../etc/passwd" → "etc_passwd".
    parts = [p.strip() for p in re.split(r"[/\\]", text)]
    text = "_".join(p for p in parts if p.strip(" .") != "")
    text = _FORBIDDEN.sub("_", text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    while ".." in text:
        text = text.replace("..", ".")
    stem, dot, ext = text.rpartition(".")
    if not dot or not stem or len(ext) > 10 or " " in ext:
        stem, ext = text, ""
    if stem.split(".")[0].upper().strip() in _RESERVED:
        stem = "_" + stem
    ext = _truncate_utf8(ext, 20)
    stem = _truncate_utf8(stem, max_bytes - len(ext.encode("utf-8")) - 1).rstrip(" .")
    if not stem:
        stem = default
    return f"{stem}.{ext}" if ext else stem


def ensure_inside(folder: str | os.PathLike[str], path: str | os.PathLike[str]) -> Path:
    """`path` resolved; ValidationError when it is not inside `folder` (after following links)."""
    base = Path(folder).resolve()
    target = Path(path)
    if not target.is_absolute():
        target = base / target
    resolved = target.resolve()
    if resolved != base and base not in resolved.parents:
        raise ValidationError(f"文件位置“{path}”不在指定的文件夹“{folder}”之内，已拒绝。请换一个文件名。", "file_name")
    return resolved


def safe_join(folder: str | os.PathLike[str], name: object, *, unique: bool = False) -> Path:
    """folder / safe_filename(name), checked to stay inside folder; `unique` adds " (2)", " (3)" … if taken."""
    base = Path(folder)
    clean = safe_filename(name)
    candidate = base / clean
    if unique:
        stem, suffix = Path(clean).stem, Path(clean).suffix
        n = 2
        while candidate.exists() or candidate.is_symlink():
            candidate = base / f"{stem} ({n}){suffix}"
            n += 1
    return ensure_inside(base, candidate)
