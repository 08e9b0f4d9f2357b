"""Is a SQLite file on a network share? SQLite's locking is unreliable over SMB/CIFS and NFS (the SQLite FAQ
says so): several PCs writing one file through a share can corrupt it or lose writes. The program warns when it
opens such a file and advises the PostgreSQL mode (README, "多台电脑共用").

- Windows: a UNC path (\\\\server\\share\\…) or a drive letter whose type is DRIVE_REMOTE (a mapped network drive).
- Linux: the filesystem type of the mount holding the file, from /proc/mounts (cifs, smb3, nfs, nfs4, …).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

NETWORK_FS = frozenset({"cifs", "smb3", "smbfs", "nfs", "nfs4", "ncpfs", "afs", "9p", "fuse.sshfs", "davfs",
                        "fuse.davfs2", "ceph", "glusterfs", "fuse.glusterfs", "lustre", "gfs2", "ocfs2"})
DRIVE_REMOTE = 4


def _mount_type(path: Path, mounts_text: str) -> str | None:
    """The filesystem type of the longest mount point that holds `path`, from the text of /proc/mounts."""
    best, kind = "", None
    target = str(path)
    for line in mounts_text.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ").replace("\\011", "\t").replace("\\134", "\\")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, fields[2]
    return kind


def _windows_kind(path: str) -> str | None:
    if path.startswith("\\\\") or path.startswith("//"):
        return "UNC"
    drive = os.path.splitdrive(path)[0]
    if not drive:
        return None
    import ctypes

    if ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == DRIVE_REMOTE:  # type: ignore[attr-defined]  # Windows only
        return "网络驱动器"
    return None


def network_share_kind(path: str | os.PathLike[str], mounts: Path = Path("/proc/mounts")) -> str | None:
    """The kind of network share holding `path` ("cifs", "nfs4", "UNC", "网络驱动器"), None for a local disk."""
    if sys.platform == "win32":
        return _windows_kind(str(path))
    try:
        resolved = Path(path).resolve()
        text = mounts.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    kind = _mount_type(resolved if resolved.exists() else resolved.parent, text)
    return kind if kind in NETWORK_FS else None


def share_warning(kind: str) -> str:
    return (f"数据库文件放在网络共享文件夹上（{kind}）。SQLite 数据库文件经网络共享给多台电脑同时使用时，"
            "文件锁不可靠，可能损坏数据或丢失刚保存的修改。多台电脑共用时请改用 PostgreSQL 服务器模式"
            "（见使用说明“多台电脑共用一个数据库”）；只有一台电脑使用时，请把数据库放在本机磁盘上。")
