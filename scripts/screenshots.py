"""The screenshots of the user guide (docs/user_guide.md), made from the real windows over a demo database.

    python scripts/screenshots.py                       # → docs/screenshots/*.png (committed)
    python scripts/screenshots.py --scale 1.5 --out /tmp/shots150   # the same at 150 % scaling, to look at

It builds a demo database in a temporary folder (nothing in the user's data folder is touched), opens the
windows offscreen at a fixed size with a fixed `today`, and saves each as PNG. Same data, same pictures:
run it again after changing a window and commit the PNG files that changed.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 5, 20)
SIZE = (1280, 800)
ORG_NAME, ORG_CODE = "中共江城市纪律检查委员会", "江纪"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="用演示数据库生成使用说明的截图")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"), help="保存截图的文件夹")
    parser.add_argument("--scale", type=float, default=1.0, help="界面缩放（如 1.5、2），检查高分屏是否清晰")
    parser.add_argument("--cadres", type=int, default=800, help="演示干部人数")
    parser.add_argument("--only", nargs="*", help="只生成这些截图（文件名，不带 .png）")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.scale != 1.0:
        os.environ["QT_SCALE_FACTOR"] = str(args.scale)
    work = Path(tempfile.gettempdir()) / "cadrecare-screenshots"  # a fixed path: the same text in every picture
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    if os.environ.get("QT_QPA_PLATFORM", "offscreen").startswith("offscreen"):
        # a 1920 × 1200 screen (the offscreen default is 800 × 600, and Qt fits new dialogs into the screen)
        screen = {"name": "OffscreenScreen", "x": 0, "y": 0, "width": 1920, "height": 1200, "logicalDpi": 96,
                  "logicalBaseDpi": 96, "dpr": 1}
        config = work / "offscreen.json"
        config.write_text(json.dumps({"synchronousWindowSystemEvents": False, "windowFrameMargins": True,
                                      "screens": [screen]}), encoding="utf-8")
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    os.environ["CADRECARE_DATA_DIR"] = str(work / "data")  # window.ini, logs, templates: never the user's
    sys.path.insert(0, str(ROOT))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from models.core import settings_store
    from models.core.actor import CLI_ACTOR, Actor
    from models.core.db import open_database
    from models.demo import build_demo

    db = open_database(work / "cadres.sqlite3")
    build_demo(db, cadres=args.cadres, seed=1, today=TODAY, actor=CLI_ACTOR)
    with db.session() as s:
        settings_store.put(s, CLI_ACTOR, "org.name", ORG_NAME)
        settings_store.put(s, CLI_ACTOR, "org.code", ORG_CODE)
        settings_store.put(s, CLI_ACTOR, "app.first_run_done", True)

    from PySide6.QtGui import QFont

    from gui.app import create_application
    from gui.context import AppContext

    app = create_application(["screenshots"])
    app.setFont(QFont("WenQuanYi Micro Hei", 10))  # like 微软雅黑 on Windows; the same on every machine here
    ctx = AppContext(db, Actor(username="wangjun", role="admin", display_name="王军"), today_fn=lambda: TODAY)
    shots = Shots(app, ctx, out, set(args.only or []))
    shots.run()
    for path in shots.saved:
        print(path)
    db.dispose()
    return 0


class Shots:
    def __init__(self, app, ctx, out: Path, only: set[str]):
        self.app, self.ctx, self.out, self.only = app, ctx, out, only
        self.saved: list[Path] = []

    # -------------------------------------------------------------------------------------- helpers
    def settle(self, ms: int = 0) -> None:
        import time

        end = time.monotonic() + ms / 1000
        while True:
            for _ in range(5):
                self.app.processEvents()
            if time.monotonic() >= end:
                return
            time.sleep(0.02)

    def save(self, name: str, widget, wait_ms: int = 0) -> None:
        if self.only and name not in self.only:
            return
        self.settle(wait_ms)
        path = self.out / f"{name}.png"
        widget.grab().save(str(path))
        self.saved.append(path)

    def select_row(self, table, row: int = 0) -> None:
        table.setFocus()
        table.selectRow(row)
        self.settle()

    def first_handling_cadre(self):
        """A cadre with a decision in force (the dashboard's 'coming off' lists), for the person pages."""
        from models.services import dashboard

        with self.ctx.db.session() as s:
            for days in (90, 180, 365):
                rows = dashboard.list_coming_off(s, self.ctx.actor, self.ctx.today(), days, limit=5)
                if rows:
                    return rows[0]
        raise SystemExit("the demo database has nobody coming off an impact period; use more --cadres")

    # -------------------------------------------------------------------------------------- shots
    def run(self) -> None:
        from gui.main_window import MainWindow

        window = MainWindow(self.ctx)
        window.resize(*SIZE)
        window.show()
        self.window = window
        self.settle()
        dash = window.pages["dashboard"]
        key = next((k for k in ("coming_off_90", "coming_off_60", "coming_off_30") if dash.counts.get(k)), None)
        dash.open_list(key)
        self.save("dashboard", window)

        person = self.first_handling_cadre()
        window.show_page("cadres")
        cadres = window.pages["cadres"]
        cadres.search_edit.setText(person.name[:1])
        cadres.run_search()
        self.select_row(cadres.table)
        self.save("cadres", window)
        from gui.pages.cadre_view import CadreView

        view = CadreView(self.ctx, person.cadre_id, window)
        view.resize(1100, 760)
        view.show()
        self.save("cadre_view", view)
        view.close()

        window.show_page("handling")
        handling = window.pages["handling"]
        self.select_row(handling.table)
        self.save("handling", window)
        detail = handling.detail
        from gui.dialogs.handling import HandlingDialog

        if detail is not None:
            dialog = HandlingDialog(self.ctx, detail.id, window)
        else:
            dialog = HandlingDialog(self.ctx, None, window, cadre_id=person.cadre_id)
        dialog.show()
        self.save("handling_dialog", dialog)
        dialog.reject()

        from gui.dialogs.roster import RosterDialog

        roster = RosterDialog(self.ctx, window)
        roster.from_edit.set_value(date(TODAY.year, 1, 1))
        roster.show()
        roster.query_button.click()
        self.save("roster", roster)
        roster.reject()

        window.show_page("visits")
        visits = window.pages["visits"]
        self.select_row(visits.plans_table)
        self.save("visits", window)
        plan = visits.selected_plan()
        dialog = visits.open_dialog(plan if plan is not None and plan.status == "planned" else None)
        self.save("visit_dialog", dialog)
        dialog.reject()

        window.show_page("accusations")
        self.select_row(window.pages["accusations"].accusation_table)
        self.save("accusations", window)

        window.show_page("clarifications")
        clar = window.pages["clarifications"]
        clar.status_combo.setCurrentIndex(clar.status_combo.count() - 1)  # 全部
        printable = [n for n in range(clar.model.rowCount()) if clar.model.row_at(n).status in ("approved", "done")]
        self.select_row(clar.table, printable[0] if printable else 0)
        self.save("clarifications", window)
        if printable:
            row = clar.model.row_at(printable[0])
            from gui.dialogs.pdf_preview import PdfPreviewWindow

            doc = clar.build_pdf(row, "letter")
            preview = PdfPreviewWindow(self.ctx, doc.data, document="clarification", title=doc.title, subject_id=row.id,
                                       cadre_id=doc.cadre_id, suggested_name=f"{doc.title}.pdf", parent=window)
            preview.resize(900, 800)
            from PySide6.QtPdfWidgets import QPdfView

            preview.view.setZoomMode(QPdfView.ZoomMode.FitInView)  # the whole first page in the picture
            preview.show()
            self.save("notice_preview", preview, wait_ms=2000)  # QtPdf renders the pages in the background
            preview.close()

        window.show_page("units")
        units = window.pages["units"]
        units.search_edit.setText("财政局")
        units.search_edit.flush()
        self.save("units", window)
        units.search_edit.setText("")
        units.search_edit.flush()

        window.show_page("settings")
        settings = window.pages["settings"]
        for i in range(settings.tabs.count()):
            if settings.tabs.tabText(i) == "公文与字体":
                settings.tabs.setCurrentIndex(i)
        from gui.settings.documents_section import DocumentsSection

        section = settings.findChild(DocumentsSection)
        for _ in range(1500):  # the sample notice is made in the background (the font is read the first time)
            if section is None or not section.preview_pending:
                break
            self.settle(20)
        self.save("settings_documents", window)

        from gui.dialogs.first_run import FirstRunWizard

        wizard = FirstRunWizard(self.ctx, window)
        wizard.org_page.org_name_edit.setText(ORG_NAME)
        wizard.org_page.org_code_edit.setText(ORG_CODE)
        wizard.org_page.update_preview()
        wizard.show()
        for _ in range(1500):  # the sample notice is made in the background
            if not wizard.org_page.previewer.pending:
                break
            self.settle(20)
        self.save("first_run", wizard)
        wizard.next()
        self.save("first_run_data", wizard)
        wizard.reject()

        from gui.dialogs.about import AboutDialog

        about = AboutDialog(self.ctx, window)
        about.show()
        self.save("about", about)
        about.reject()

        from gui.dialogs.help import HelpDialog

        guide = HelpDialog(window)
        guide.show()
        self.save("help", guide)
        guide.close()
        window.show_page("dashboard")


if __name__ == "__main__":
    sys.exit(main())
