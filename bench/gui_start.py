"""The GUI figures of the benchmark (design §7), each in a fresh Python process on QT_QPA_PLATFORM=offscreen.

- start to a usable main window with the 工作台 filled, beside a bare PySide6 window: both children are started
  the same way (`python -m bench.gui_start MODE`), so both pay the interpreter start and the Qt imports; the time
  runs from just before the process is started until the child reports that its window is shown and exposed;
- peak memory of the GUI on the database: a child starts the main window, opens every page, every 工作台 list
  and scrolls the 干部 list a few pages; its peak resident size is the kernel's VmHWM from /proc/<pid>/status,
  read by the child as its last act. (Not ru_maxrss from wait4: Linux carries the high-water mark of the
  forked parent across exec, so a child of a large benchmark process would report the parent's size.) The bare
  window's peak is printed beside it for scale.

- start to the login window (beside the bare window) and 登录 pressed to the 工作台 filled: the real start path
  (gui/app.begin_login: the window with Qt alone, the database opening behind it); 登录 is pressed once the
  database is open and the loader's warm-up done, and half a second of the window's event loop later, as they
  are by the time a person has typed.

The "start to main window" figure skips the login (an administrator is assumed): it waits for a person.
This module imports no Qt at import time; the parent process never loads Qt.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
READY = "BENCH-READY"
TYPING_S = 0.5  # a person needs seconds to type a user name and password; the figure waits half a second


# ------------------------------------------------------------------------------------------------- children


def _wait_exposed(app, window, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    app.processEvents()
    while time.monotonic() < end:
        handle = window.windowHandle()
        if handle is not None and handle.isExposed():
            break
        app.processEvents()
        time.sleep(0.001)
    app.processEvents()


def _child_bare() -> int:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("bare")
    window.resize(1280, 800)
    window.show()
    _wait_exposed(app, window)
    print(READY, flush=True)
    print(f"VmHWM {_vm_hwm_kb()}", flush=True)
    return 0


def _start_app(db_path: str):
    """The program's own start (gui/app.run_gui) without the login: Qt with translations, database, window."""
    import main  # noqa: F401 - the entry module, as `python main.py` loads it
    from gui.app import create_application
    from gui.context import AppContext
    from gui.errors import install_excepthook
    from gui.main_window import MainWindow
    from models.core.actor import Actor
    from models.core.db import open_database
    from models.core.logs import setup_logging

    setup_logging()
    app = create_application(sys.argv[:1])
    install_excepthook()
    db = open_database(db_path)
    ctx = AppContext(db, Actor(username="bench", role="admin", display_name="基准测试"))
    window = MainWindow(ctx)
    window.show()
    _wait_exposed(app, window)
    page = window.pages["dashboard"]
    if not getattr(page, "counts", None):
        raise RuntimeError("工作台 not filled")
    return app, window, ctx


def _child_login(db_path: str, username: str, password: str) -> int:
    """The real start up to the login window (READY), then — once the database behind it is open, as it is by
    the time a person has typed — from pressing 登录 to the main window with the 工作台 filled."""
    import main  # noqa: F401 - the entry module, as `python main.py` loads it
    from gui.app import begin_login, create_application, show_main_window
    from gui.errors import install_excepthook
    from models.core.logs import setup_logging

    setup_logging()
    app = create_application(sys.argv[:1])
    install_excepthook()
    start = begin_login(db_path)
    if start is None:
        raise RuntimeError("this database does not start with the login window")
    start.dialog.show()
    _wait_exposed(app, start.dialog)
    print(READY, flush=True)
    start.loader.result(timeout=600)
    start.loader.wait_settled(timeout=600)
    typing_ends = time.monotonic() + TYPING_S  # the window's own work while a person types runs meanwhile
    while time.monotonic() < typing_ends:
        app.processEvents()
        time.sleep(0.005)
    start.dialog.username_edit.setText(username)
    start.dialog.password_edit.setText(password)
    pressed = time.perf_counter()
    start.dialog.ok_button.click()
    if start.dialog.actor is None:
        raise RuntimeError("login refused: " + start.dialog.message.text())
    window = show_main_window(start.database(), start.dialog.actor, start_work=False)
    _wait_exposed(app, window)
    if not getattr(window.pages["dashboard"], "counts", None):
        raise RuntimeError("工作台 not filled")
    print(f"LOGIN-TO-DASHBOARD {time.perf_counter() - pressed:.6f}", flush=True)
    return 0


def _child_app(db_path: str) -> int:
    _start_app(db_path)
    print(READY, flush=True)
    return 0


def _child_memory(db_path: str) -> int:
    app, window, _ctx = _start_app(db_path)
    print(READY, flush=True)
    dash = window.pages["dashboard"]
    for key in list(dash.tiles):
        dash.open_list(key)
        app.processEvents()
    for name in list(window.pages):
        window.show_page(name)
        app.processEvents()
    cadres = window.pages["cadres"]
    window.show_page("cadres")
    for text in ("", "张", "zs", "1"):
        cadres.search_edit.setText(text)
        cadres.run_search()
        app.processEvents()
    cadres.search_edit.setText("")
    cadres.run_search()
    for _ in range(10):
        if cadres.model.canFetchMore():
            cadres.model.fetchMore()
        app.processEvents()
    window.show_page("dashboard")
    app.processEvents()
    print(f"VmHWM {_vm_hwm_kb()}", flush=True)
    return 0


def _vm_hwm_kb() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


# ------------------------------------------------------------------------------------------------- parent


def _env() -> dict:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = str(PROJECT_ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def run_child(mode: str, db_path: str | None = None, timeout: float = 300, extra: tuple[str, ...] = ()) \
        -> tuple[float, int, str]:
    """(seconds from start to READY, the child's VmHWM in KB (0 if it reported none), its output).
    Raises RuntimeError when the child fails."""
    cmd = [sys.executable, "-m", "bench.gui_start", mode] + ([str(db_path)] if db_path else []) + list(extra)
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=PROJECT_ROOT, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, encoding="utf-8", errors="replace")
    ready_at = None
    lines = []
    deadline = time.monotonic() + timeout
    for line in proc.stdout:  # type: ignore[union-attr]
        if ready_at is None and line.strip() == READY:
            ready_at = time.perf_counter() - started
        lines.append(line)
        if time.monotonic() > deadline:
            proc.kill()
            break
    err = proc.stderr.read() if proc.stderr else ""  # type: ignore[union-attr]
    proc.wait()
    if ready_at is None or proc.returncode != 0:
        raise RuntimeError(f"GUI child {mode} failed (exit {proc.returncode}): {err.strip()[-800:]}")
    hwm = [int(x.split()[1]) for x in lines if x.startswith("VmHWM ")]
    return ready_at, (hwm[-1] if hwm else 0), "".join(lines)


def measure_start(db_path: str, repeat: int = 3) -> tuple[float, float]:
    """Medians (seconds) of the app start and of the bare window start, alternated, after one warm-up each."""
    run_child("bare")
    run_child("app", db_path)
    app_times, bare_times = [], []
    for _ in range(max(1, repeat)):
        bare_times.append(run_child("bare")[0])
        app_times.append(run_child("app", db_path)[0])
    return statistics.median(app_times), statistics.median(bare_times)


def measure_login(db_path: str, username: str, password: str, repeat: int = 3) -> tuple[float, float, float]:
    """Medians (seconds) of start → login window, of the bare window start (alternated with it, after one warm-up
    each), and of 登录 pressed → 工作台 filled."""
    run_child("bare")
    run_child("login", db_path, extra=(username, password))
    login_times, bare_times, after = [], [], []
    for _ in range(max(1, repeat)):
        bare_times.append(run_child("bare")[0])
        ready, _kb, out = run_child("login", db_path, extra=(username, password))
        login_times.append(ready)
        after += [float(x.split()[1]) for x in out.splitlines() if x.startswith("LOGIN-TO-DASHBOARD ")]
    if not after:
        raise RuntimeError("the login child did not report LOGIN-TO-DASHBOARD")
    return statistics.median(login_times), statistics.median(bare_times), statistics.median(after)


def measure_memory(db_path: str) -> tuple[float, float]:
    """Peak resident memory in MB of the GUI after a tour of its pages, and of a bare window."""
    _t, app_kb, _out = run_child("memory", db_path)
    _t, bare_kb, _out = run_child("bare")
    if not app_kb or not bare_kb:
        raise RuntimeError("VmHWM not available (/proc/self/status)")
    return app_kb / 1024, bare_kb / 1024


def main(argv: list[str]) -> int:
    mode = argv[0] if argv else ""
    if mode == "bare":
        return _child_bare()
    if mode == "app":
        return _child_app(argv[1])
    if mode == "memory":
        return _child_memory(argv[1])
    if mode == "login":
        return _child_login(argv[1], argv[2], argv[3])
    print("usage: python -m bench.gui_start bare | app DB | memory DB | login DB USER PASSWORD", file=sys.stderr)
    return 2


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    os._exit(code)  # no Qt/SQLAlchemy teardown: the figure is the start, not the exit
