"""Writing a finished PDF to a file: complete or not at all, with a clear message when the file is in use."""
from __future__ import annotations

import os
from pathlib import Path

from models.core.errors import AppError


def write_bytes(data: bytes, path: str | Path) -> Path:
    """Write `data` beside the target first and move it into place (a reader never sees half a file)."""
    target = Path(path)
    if target.is_dir():
        raise AppError(f"“{target}”是一个文件夹。请给出要保存的 PDF 文件名，如 {target / '名单.pdf'}。")
    if not target.parent.exists():
        raise AppError(f"文件夹“{target.parent}”不存在。请先建立该文件夹或换一个保存位置。")
    tmp = target.with_name(f".{target.name}.part")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, target)
    except PermissionError:
        tmp.unlink(missing_ok=True)
        raise AppError(
            f"无法写入“{target}”：文件可能正在被其他程序（如 PDF 阅读器、WPS）打开，或没有写权限。"
            "请关闭该文件或换一个文件名后重试。"
        ) from None
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise AppError(f"无法写入“{target}”：{exc.strerror or exc}。请换一个保存位置后重试。") from None
    return target
