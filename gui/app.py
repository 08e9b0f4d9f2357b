"""Start the GUI: Qt application with Chinese translations, the database, the login, the main window."""
from __future__ import annotations

import logging
import os
import sys
from typing import MutableMapping

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from models.core.errors import AppError
from models.core.paths import RESOURCES_DIR

log = logging.getLogger(__name__)


QT_CATALOGUES = ("qtbase_zh_CN",)  # qt_zh_CN.qm is an umbrella over modules the wheel lacks: it never loads
OWN_CATALOGUE = RESOURCES_DIR / "translations" / "qt_gaps_zh_CN.qm"
NEUTRAL_LOCALES = ("", "C", "POSIX")


def prefer_chinese_dates(environ: MutableMapping[str, str]) -> bool:
    """Qt's file dialogs write dates and sizes with the *system* locale (QFileSystemModel uses QLocale::system(),
    which QLocale.setDefault does not change): under LANG=C that is "3 12 2026" and "131 bytes". When the
    environment names no real locale for dates (LC_TIME) or for Qt's system locale (LC_MESSAGES), name the Chinese
    one (Qt's own locale data; nothing needs installing). Called before the QApplication exists. Returns whether
    it changed anything."""
    if sys.platform.startswith("win") or sys.platform == "darwin":
        return False  # the system locale comes from the OS settings there, not from variables

    def neutral(value: str | None) -> bool:
        return (value or "").split(".")[0] in NEUTRAL_LOCALES

    if not neutral(environ.get("LC_ALL")):
        return False
    if environ.get("LC_ALL") is not None:  # LC_ALL=C would override LC_TIME: keep it as the general default
        environ["LANG"] = environ.pop("LC_ALL")
    changed = False
    for category in ("LC_TIME", "LC_MESSAGES"):
        own = environ.get(category)
        if (own is not None and not neutral(own)) or (own is None and not neutral(environ.get("LANG"))):
            continue  # a locale the user chose
        environ[category] = "zh_CN.UTF-8"
        changed = True
    return changed


def create_application(argv: list[str] | None = None) -> QApplication:
    if QApplication.instance() is None:
        prefer_chinese_dates(os.environ)
    app = QApplication.instance() or QApplication(argv or sys.argv)
    app.setApplicationName("干部关爱与问责记录")
    app.setOrganizationName("CadreCare")
    QLocale.setDefault(QLocale(QLocale.Chinese, QLocale.China))
    load_translations(app)
    from gui.gc_guard import install

    install(app)  # cyclic garbage collected in this thread only, never in a worker (gui/gc_guard.py)
    return app


def load_translations(app: QApplication) -> list[QTranslator]:
    """Qt's own zh_CN catalogue, so that standard buttons and dialogs speak Chinese, then the program's own
    catalogue of the strings Qt's lacks (resources/translations/qt_gaps_zh_CN.ts); the one installed last is
    asked first, so ours answers only for those strings."""
    translators = []
    folder = QLibraryInfo.path(QLibraryInfo.TranslationsPath)
    for name in QT_CATALOGUES:
        tr = QTranslator(app)
        if tr.load(name, folder):
            app.installTranslator(tr)
            translators.append(tr)
        else:
            log.warning("Qt translation %s not found in %s: standard dialogs will show English", name, folder)
    own = QTranslator(app)
    if own.load(str(OWN_CATALOGUE)):
        app.installTranslator(own)
        translators.append(own)
    else:
        log.warning("translation %s not found: file dialogs will show some English labels", OWN_CATALOGUE.name)
    app._translators = translators  # keep them alive
    return translators


def open_database_interactive(db_arg: str | None, parent=None, ask=None, read_only: bool = False):
    """Open the database; for an encrypted file ask for the passphrase (up to three tries).
    Returns None when the user gave up. `ask(prompt) -> str | None` is replaceable for tests."""
    from PySide6.QtWidgets import QInputDialog, QLineEdit

    from models.core import encryption
    from models.core.db import open_database, resolve_url, sqlite_path
    from models.core.errors import DatabaseUnusable

    path = sqlite_path(resolve_url(db_arg))
    if path is None or not encryption.is_encrypted(path) or not encryption.available():
        return open_database(db_arg, read_only=read_only)

    def default_ask(prompt: str):
        text, ok = QInputDialog.getText(parent, "加密的数据库", prompt, QLineEdit.Password)
        return text if ok else None

    ask = ask or default_ask
    prompt = f"数据库“{path.name}”已加密。请输入口令："
    for _attempt in range(3):
        passphrase = ask(prompt)
        if passphrase is None:
            return None
        try:
            return open_database(db_arg, passphrase=passphrase, read_only=read_only)
        except DatabaseUnusable as exc:
            prompt = exc.message + "\n请重新输入口令："
    raise DatabaseUnusable("口令连续三次不正确，程序不打开该数据库。请向保管口令的管理员核对。")


def start_plan_upkeep(ctx, on_done=None, on_error=None) -> None:
    """Bring visit plans in line with decisions changed elsewhere (imports, other PCs), off the GUI thread; when
    something changed the 工作台 refreshes. `on_done(changed)` / `on_error(exc)` for a page that waits for it.
    First, once after a program update or on a database an older program wrote, the stored explanations of every
    restriction are recomputed with this program's rule table (models/derived/restrictions.py)."""
    from gui.ops import Change
    from gui.worker import run_in_background
    from models.derived.restrictions import refresh_stale_explanations
    from models.derived.visit_plans import sync_stale

    today, db = ctx.today(), ctx.db
    refreshed: list[int] = []

    def work(_progress):
        with db.session() as s:  # its own transaction: the texts are rewritten whatever the plans do
            refreshed.append(refresh_stale_explanations(s) or 0)
        with db.session() as s:
            return sync_stale(s, today)

    def done(changed: int) -> None:
        if refreshed and refreshed[0]:
            ctx.notify(Change.HANDLING)
        if changed:
            ctx.notify(Change.VISIT_PLAN)
        if on_done is not None:
            on_done(changed)

    run_in_background(work, done, on_error)


class LoginStart:
    """A login window shown before the database is open, and the loader opening it (gui/startup.py)."""

    def __init__(self, dialog, loader):
        self.dialog, self.loader = dialog, loader

    def database(self):
        """The open database once the dialog is closed; raises what opening it raised (AppError: show it)."""
        return self.loader.result()


OPEN_AFTER_MS = 100  # the database opens this long after the login window is built: nobody types that fast


def begin_login(db_arg: str | None, read_only: bool = False) -> LoginStart | None:
    """The login window at once, with Qt alone, while the database opens in the background; None when this
    start must open the database first (PostgreSQL, encrypted, refused or new file: models/core/startup_peek.py).
    A failure to open closes the window; `LoginStart.database()` then raises it."""
    from PySide6.QtCore import QTimer

    from gui.dialogs.login import LoginDialog
    from gui.startup import DatabaseLoader, PendingDatabase
    from models.core import startup_peek

    if startup_peek.first_window(db_arg) != startup_peek.LOGIN:
        return None

    def open_db():
        from models.core.db import open_database

        return open_database(db_arg, read_only=read_only)

    loader = DatabaseLoader(open_db, start=False)
    dialog = LoginDialog(PendingDatabase(loader, startup_peek.database_file(db_arg)))
    QTimer.singleShot(OPEN_AFTER_MS, loader.start)  # once the window is on the screen (gui/startup.py)

    def watch() -> None:
        if loader.error is not None:
            dialog.reject()
        elif not loader.settled:
            QTimer.singleShot(100, watch)
        else:  # on this thread, while the person types
            from gui.gc_guard import freeze_survivors

            freeze_survivors()

    QTimer.singleShot(100, watch)
    return LoginStart(dialog, loader)


def show_main_window(db, actor, *, start_work: bool = True):
    """The main window for a logged-in user, and (start_work) the work that follows a start: the first-run
    wizard, the idle lock, the daily backup and the visit-plan upkeep in the background. The benchmark measures
    the window alone."""
    from gui.context import AppContext
    from gui.main_window import MainWindow

    ctx = AppContext(db, actor)
    window = MainWindow(ctx)
    if db.read_only:  # another program holds the database (gui/instance_guard.py): look, do not change
        window.setWindowTitle(window.windowTitle() + "（只读）")
        window.statusBar().showMessage("只读打开：另一个程序正在使用这个数据库，修改不会保存。")
    window.show()
    if not start_work:
        return window
    from gui.idle_lock import install_idle_lock

    window.idle_lock = install_idle_lock(ctx, window)  # lock after security.idle_minutes without input
    if db.read_only:
        return window  # the program holding the database does the wizard, the backup and the upkeep
    from gui.dialogs.first_run import run_if_needed

    run_if_needed(ctx, window)  # first start of an administrator: organ, fonts, import or demo (once per database)
    from gui.settings.backup_section import start_auto_backup

    start_auto_backup(ctx)  # the daily automatic backup, in a background thread
    start_plan_upkeep(ctx)  # visit plans of decisions changed since they were planned
    return window


def run_gui(db_arg: str | None) -> int:
    from gui.errors import install_excepthook
    from gui.instance_guard import claim_database

    app = create_application()
    install_excepthook()
    claim = claim_database(db_arg)  # before anything connects: one program per database
    if claim is None:
        return 0
    try:
        return _run_gui(app, db_arg, claim)
    finally:
        claim.release()


def _run_gui(app, db_arg: str | None, claim) -> int:
    from PySide6.QtWidgets import QDialog

    from gui.dialogs.login import obtain_actor
    from gui.instance_guard import warn_network_share

    warn_network_share(db_arg)
    start = begin_login(db_arg, read_only=claim.read_only)
    try:
        if start is not None:
            accepted = start.dialog.exec() == QDialog.Accepted
            db = start.database()  # waits for a database still opening (a user who quits at once)
            actor = start.dialog.actor if accepted else None
        else:
            db = open_database_interactive(db_arg, read_only=claim.read_only)
            if db is None:
                return 0
            actor = None
    except AppError as exc:
        QMessageBox.critical(None, "无法打开数据库", exc.message)
        return 2
    if db.upgraded_from:
        log.info("database upgraded from %s; old copy at %s", db.upgraded_from, db.backup_path)
    if start is None:
        actor = obtain_actor(db)
    if actor is None:
        db.dispose()
        return 0
    claim.set_account(actor.username)  # a second program can say which account has the database open
    window = show_main_window(db, actor)  # noqa: F841 - kept alive by the event loop below
    try:
        return app.exec()
    finally:
        db.dispose()
