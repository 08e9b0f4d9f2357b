"""The program's one way to ask for a file or folder: file dialogs that never read the files they list.

Why: on Linux SQLite's locks are POSIX locks, and closing any descriptor of the database file drops all of the
process's locks on it. Qt's own file dialog asks its icon provider for each file's icon and type, which guesses
the MIME type from the file's contents (QMimeDatabase): listing the folder that holds the database opened and
closed the database file. GTK's dialog (the "native" one on many Linux desktops) runs inside the process and
sniffs contents too. So on Linux and macOS the Qt dialog is used with `NameOnlyIconProvider`, which answers from
the name and `stat` alone, and symlinks are not resolved. Windows' own dialog is kept: its locks are not
POSIX locks and a shell extension's read does not drop them.

A path the user picks that is a file of the open database (main, -wal, -shm) is refused before the caller
reads it (models.core.connected_files.refuse_live_file).
"""
from __future__ import annotations

import sys

from PySide6.QtCore import QFileInfo
from PySide6.QtGui import QAbstractFileIconProvider
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QStyle, QWidget

from models.core.db import refuse_live_file
from models.core.errors import AppError

NATIVE_IS_SAFE = sys.platform == "win32"


class NameOnlyIconProvider(QAbstractFileIconProvider):
    """Icons and type names from the file name and kind only: never opens a file to guess its type."""

    def __init__(self):
        super().__init__()
        self.setOptions(QAbstractFileIconProvider.DontUseCustomDirectoryIcons)

    def _style(self):
        return QApplication.style()

    def icon(self, what):  # noqa: D401 - Qt API (IconType or QFileInfo)
        if isinstance(what, QFileInfo):
            if what.isDir():
                return self._style().standardIcon(QStyle.SP_DirIcon)
            return self._style().standardIcon(QStyle.SP_FileIcon)
        if what == QAbstractFileIconProvider.Folder:
            return self._style().standardIcon(QStyle.SP_DirIcon)
        if what in (QAbstractFileIconProvider.Drive, QAbstractFileIconProvider.Computer):
            return self._style().standardIcon(QStyle.SP_DriveHDIcon)
        if what == QAbstractFileIconProvider.Network:
            return self._style().standardIcon(QStyle.SP_DriveNetIcon)
        return self._style().standardIcon(QStyle.SP_FileIcon)

    def type(self, info: QFileInfo) -> str:  # noqa: A003 - Qt API
        if info.isDir():
            return "文件夹"
        suffix = info.suffix()
        return f"{suffix.upper()} 文件" if suffix else "文件"


_PROVIDER: NameOnlyIconProvider | None = None


def icon_provider() -> NameOnlyIconProvider:
    global _PROVIDER
    if _PROVIDER is None:
        _PROVIDER = NameOnlyIconProvider()
    return _PROVIDER


def make_dialog(parent: QWidget | None, caption: str, directory: str = "", name_filter: str = "") -> QFileDialog:
    """A file dialog set up so that it never reads the files it lists (see the module text)."""
    dialog = QFileDialog(parent, caption, directory, name_filter)
    dialog.setObjectName("safeFileDialog")
    options = QFileDialog.DontResolveSymlinks
    if not NATIVE_IS_SAFE:
        options |= QFileDialog.DontUseNativeDialog | QFileDialog.DontUseCustomDirectoryIcons
    dialog.setOptions(options)
    if not NATIVE_IS_SAFE:
        dialog.setIconProvider(icon_provider())
        dialog.resize(760, 460)  # Qt's 600 px cut the 修改日期 column; fits a 1366×768 screen
        _widen_sidebar(dialog)
    return dialog


SIDEBAR_WIDTH = 130  # Qt's own dialog opens its sidebar so narrow that "计算机" reads "计…"


def _widen_sidebar(dialog: QFileDialog) -> None:
    """Qt's file dialog: the sidebar (计算机, the home folder) wide enough for its names."""
    from PySide6.QtWidgets import QSplitter

    splitter = dialog.findChild(QSplitter, "splitter")
    if splitter is not None and splitter.count() == 2 and splitter.sizes()[0] < SIDEBAR_WIDTH:  # a wider one stays
        total = max(sum(splitter.sizes()), dialog.width())
        splitter.setSizes([SIDEBAR_WIDTH, max(total - SIDEBAR_WIDTH, 200)])


def _chosen(parent: QWidget | None, dialog: QFileDialog) -> str:
    if dialog.exec() != QFileDialog.Accepted or not dialog.selectedFiles():
        return ""
    path = dialog.selectedFiles()[0]
    try:
        refuse_live_file(path, "所选的文件")
    except AppError as exc:
        QMessageBox.warning(parent, "不能使用这个文件", exc.message)
        return ""
    return path


def open_file_name(parent: QWidget | None, caption: str, directory: str = "", name_filter: str = "") -> str:
    """The path of an existing file the user chose, or "" when cancelled."""
    dialog = make_dialog(parent, caption, directory, name_filter)
    dialog.setAcceptMode(QFileDialog.AcceptOpen)
    dialog.setFileMode(QFileDialog.ExistingFile)
    return _chosen(parent, dialog)


def save_file_name(parent: QWidget | None, caption: str, directory: str = "", name_filter: str = "",
                   default_suffix: str = "") -> str:
    """The path to save to (the dialog asks before replacing a file), or "" when cancelled."""
    dialog = make_dialog(parent, caption, directory, name_filter)
    dialog.setAcceptMode(QFileDialog.AcceptSave)
    dialog.setFileMode(QFileDialog.AnyFile)
    if default_suffix:
        dialog.setDefaultSuffix(default_suffix)
    return _chosen(parent, dialog)


def existing_folder(parent: QWidget | None, caption: str, directory: str = "") -> str:
    """A folder the user chose, or "" when cancelled."""
    dialog = make_dialog(parent, caption, directory)
    dialog.setFileMode(QFileDialog.Directory)
    dialog.setOption(QFileDialog.ShowDirsOnly, True)
    return _chosen(parent, dialog)
