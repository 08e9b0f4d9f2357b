"""Many notices at once: into one PDF (each starting on a new sheet if asked) or one file each.

Progress is reported per notice and 取消 is honoured between notices (models.core.progress); nothing is written
until every notice was built, so a cancelled or failed batch leaves no files behind.
"""
from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Sequence

from models.core.errors import ValidationError
from models.core.progress import Progress
from reports.fonts import FontSet, resolve
from reports.notice import Notice, build_notice, draw_notice, new_canvas
from reports.output import write_bytes

_BAD_FILE_CHARS = re.compile(r'[\\/:*?"<>|\r\n\t]')


def safe_file_name(text: str, fallback: str) -> str:
    name = _BAD_FILE_CHARS.sub("_", text).strip(" .")[:80]
    return name or fallback


def build_batch(notices: Sequence[Notice], *, fonts: FontSet | None = None, progress: Progress | None = None,
                start_on_odd: bool = False) -> bytes:
    """One PDF with every notice; each notice numbers its own pages from 1.

    start_on_odd adds a blank page after a notice with an odd number of pages (double-sided printing).
    """
    fs = fonts or resolve()
    progress = progress or Progress()
    total = len(notices)
    buf = io.BytesIO()
    c = new_canvas(buf, fs, title=f"{total} 份文书")
    for i, notice in enumerate(notices):
        progress.check()
        draw_notice(c, notice, fs, start_on_odd=start_on_odd)
        progress.update(i + 1, total, f"已生成 {i + 1}/{total} 份")
    c.save()
    return buf.getvalue()


def write_batch_pdf(notices: Sequence[Notice], path: str | Path, **kwargs) -> Path:
    return write_bytes(build_batch(notices, **kwargs), path)


def write_batch_files(notices: Sequence[Notice], folder: str | Path, names: Sequence[str] | None = None, *,
                      fonts: FontSet | None = None, progress: Progress | None = None) -> list[Path]:
    """One PDF per notice in `folder`, named by `names` (default: 序号-标题.pdf); returns the paths."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ValidationError(f"文件夹“{folder}”不存在。请先建立它或换一个文件夹。", "folder")
    if names is not None and len(names) != len(notices):
        raise ValidationError("文件名的个数与文书的份数不一致。", "names")
    fs = fonts or resolve()
    progress = progress or Progress()
    total = len(notices)
    built: list[tuple[Path, bytes]] = []
    used: set[str] = set()
    for i, notice in enumerate(notices):
        progress.check()
        base = safe_file_name(names[i] if names else f"{i + 1:04d}-{notice.title}", f"{i + 1:04d}")
        name, k = base, 2
        while name.lower() in used:
            name, k = f"{base}-{k}", k + 1
        used.add(name.lower())
        built.append((folder / f"{name}.pdf", build_notice(notice, fs)))
        progress.update(i + 1, total, f"已生成 {i + 1}/{total} 份")
    progress.check()
    return [write_bytes(data, path) for path, data in built]
