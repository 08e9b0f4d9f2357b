"""澄清正名: waiting for approval / approved / done / declined; edit, approve, mark done, stop, and print the
notice (澄清正名说明 to the person and the unit, or the 通报 for the scope) through the preview window."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QInputDialog, QLabel, QLineEdit, QMessageBox,
    QPushButton, QTableView, QVBoxLayout, QWidget,
)

from gui import ops
from gui.widgets.list_keys import SearchBox, open_on_enter, select_id
from gui.widgets.table_fit import fit_columns_once, refit
from gui.widgets.row_table_model import PagedRowTableModel
from gui.dialogs.clarification import ClarificationDialog
from gui.context import AppContext
from gui.errors import show_error
from gui.ops import Change
from gui.widgets.date_field import DateField
from gui.widgets.form_dialog import clear_on_edit
from models.services import clarifications as clar
from models.core.errors import AppError

FILTERS = [("pending", "待批准"), ("approved", "已批准（待完成）"), ("done", "已完成"), ("declined", "已终止"),
           (None, "全部")]
FIT_ROWS = 0  # fit the column widths to the rows on screen only (every cell read costs ~20 µs of Python)


class ClarificationTableModel(PagedRowTableModel):
    """The clarifications of one status (or all), paged from the database (canFetchMore/fetchMore)."""

    COL_ID, COL_CADRE, COL_UNIT, COL_OUTCOME, COL_OUTCOME_ON, COL_METHODS, COL_STATUS, COL_APPROVED, COL_DONE, \
        COL_NUMBER = range(10)

    def __init__(self, ctx: AppContext, parent=None):
        self.text = ""
        super().__init__([
            ("编号", lambda r: r.id), ("姓名", lambda r: r.cadre_name), ("单位", lambda r: r.unit_name or ""),
            ("核查结论", lambda r: r.accusation_outcome or ""), ("结论日期", lambda r: r.outcome_on),
            ("澄清方式", lambda r: r.methods_text), ("状态", lambda r: r.status_label),
            ("批准", lambda r: f"{r.approved_by or ''} {r.approved_on.isoformat() if r.approved_on else ''}".strip()),
            ("完成日期", lambda r: r.done_on if r.status == "done" else None), ("文号", lambda r: r.doc_number or ""),
        ], parent)
        self.ctx = ctx
        self.status: str | None = None

    def count(self) -> int:
        with self.ctx.db.session() as s:
            return clar.count_clarifications(s, self.ctx.actor, status=self.status, text=self.text)

    def fetch(self, offset: int, limit: int) -> list:
        with self.ctx.db.session() as s:
            return clar.list_clarifications(s, self.ctx.actor, status=self.status, limit=limit, offset=offset,
                                            text=self.text)


class _DatesDialog(QDialog):
    """A small form: a date and one line of text (批准人 / 文号)."""

    def __init__(self, title: str, date_label: str, text_label: str, today, placeholder: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("clarificationStepDialog")
        form = QFormLayout(self)
        self.date_edit = DateField(label=date_label, required=True, value=today)
        self.date_edit.setObjectName("stepDateEdit")
        self.text_edit = QLineEdit()
        self.text_edit.setObjectName("stepTextEdit")
        self.text_edit.setPlaceholderText(placeholder)
        form.addRow(date_label, self.date_edit)
        form.addRow(text_label, self.text_edit)
        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()
        form.addRow(self.error_label)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        clear_on_edit(self.date_edit, self.error_label)

    def accept(self) -> None:
        message = self.date_edit.error()
        if message:
            self.error_label.setText(message)
            self.error_label.show()
            return
        super().accept()


class ClarificationsPage(QWidget):
    def __init__(self, ctx: AppContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.previews: list[QWidget] = []
        self._setup_ui()
        self._connect_signals()
        self.refresh()

    def _setup_ui(self) -> None:
        writer = self.ctx.actor.can("handle_accusations")
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.search_edit = SearchBox(self.tr("查找：姓名、拼音（如 zs）、身份证号的一部分或单位"))
        self.search_edit.setObjectName("clarificationSearch")
        bar.addWidget(self.search_edit, 2)
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("statusCombo")
        for code, label in FILTERS:
            self.status_combo.addItem(self.tr(label), code)
        self.counts_label = QLabel()
        self.counts_label.setObjectName("countsLabel")
        bar.addWidget(self.status_combo)
        bar.addWidget(self.counts_label, 1)
        layout.addLayout(bar)
        bar = QHBoxLayout()
        self.edit_button = QPushButton(self.tr("查看/修改"))
        self.edit_button.setObjectName("editClarificationButton")
        self.approve_button = QPushButton(self.tr("批准…"))
        self.approve_button.setObjectName("approveButton")
        self.done_button = QPushButton(self.tr("登记完成…"))
        self.done_button.setObjectName("doneButton")
        self.decline_button = QPushButton(self.tr("终止…"))
        self.decline_button.setObjectName("declineButton")
        self.print_button = QPushButton(self.tr("澄清说明"))
        self.print_button.setObjectName("printNoticeButton")
        self.circular_button = QPushButton(self.tr("澄清通报"))
        self.circular_button.setObjectName("printCircularButton")
        for b in (self.edit_button, self.approve_button, self.done_button, self.decline_button, self.print_button,
                  self.circular_button):
            bar.addWidget(b)
        bar.addStretch(1)
        for b in (self.approve_button, self.done_button, self.decline_button):
            b.setEnabled(writer)
        layout.addLayout(bar)
        self.model = ClarificationTableModel(self.ctx, self)
        self.table = QTableView()
        self.table.setObjectName("clarificationTable")
        self.table.setModel(self.model)
        fit_columns_once(self.table)
        self.table.setSelectionBehavior(QTableView.SelectRows)
        self.table.setSelectionMode(QTableView.SingleSelection)
        self.table.setEditTriggers(QTableView.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setResizeContentsPrecision(FIT_ROWS)  # rows read to fit a column
        layout.addWidget(self.table)
        self.search_edit.set_results(self.table)
        self.notice_label = QLabel()
        self.notice_label.setObjectName("clarificationNotice")
        layout.addWidget(self.notice_label)

    def _connect_signals(self) -> None:
        self.status_combo.currentIndexChanged.connect(self._on_status_combo_current_index_changed)
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.table.doubleClicked.connect(lambda _i: self._on_edit_button_clicked())
        open_on_enter(self.table, lambda _i: self._on_edit_button_clicked())
        self.search_edit.search.connect(lambda _t: self.refresh())
        self.approve_button.clicked.connect(self._on_approve_button_clicked)
        self.done_button.clicked.connect(self._on_done_button_clicked)
        self.decline_button.clicked.connect(self._on_decline_button_clicked)
        self.print_button.clicked.connect(lambda: self._print("letter"))
        self.circular_button.clicked.connect(lambda: self._print("circular"))
        self.ctx.data_changed.connect(self._on_data_changed)

    def refresh(self) -> None:
        """The first page of the chosen status and the counts of each status; the selected row stays selected
        (after an action that moved it to another status, the list follows it there — see `_keep`)."""
        keep = self.current_id()
        self.model.status = self.status_combo.currentData()
        self.model.text = self.search_edit.text()
        try:
            self.model.reload()
            with self.ctx.db.session() as s:
                counts = clar.counts(s, self.ctx.actor)
        except AppError as exc:
            show_error(self, exc)
            return
        self.counts_label.setText(self.tr("待批准 %1　已批准 %2　已完成 %3").replace("%1", str(counts["pending"]))
                                  .replace("%2", str(counts["approved"])).replace("%3", str(counts["done"])))
        if keep is not None:
            select_id(self.table, keep)

    def current_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        row = self.model.row_at(rows[0].row()) if rows else None
        return row.id if row is not None else None

    def _keep(self, clarification_id: int) -> None:
        """After an action: select the clarification again; when its new status is not the one listed, switch the
        list to that status (and say so) rather than lose it."""
        self.notice_label.setText("")
        if select_id(self.table, clarification_id):
            return
        try:
            with self.ctx.db.session() as s:
                row = clar.get_clarification(s, self.ctx.actor, clarification_id)
        except AppError:
            return
        index = self.status_combo.findData(row.status)
        if index < 0 or index == self.status_combo.currentIndex():
            return
        self.status_combo.setCurrentIndex(index)  # refreshes
        if select_id(self.table, clarification_id):
            self.notice_label.setText(self.tr("第%1号已转入“%2”，列表已随之切换。").replace("%1", str(clarification_id))
                                      .replace("%2", self.status_combo.currentText()))

    def _on_status_combo_current_index_changed(self, _index: int) -> None:
        refit(self.table)  # another status fills other columns (批准, 完成日期, 文号)
        self.refresh()

    def _on_data_changed(self, entity: str) -> None:
        if entity in (Change.CLARIFICATION, Change.ACCUSATION, Change.CADRE):
            self.refresh()

    def selected(self) -> clar.ClarificationRow | None:
        rows = self.table.selectionModel().selectedRows()
        row = self.model.row_at(rows[0].row()) if rows else None
        if row is None:
            QMessageBox.information(self, self.tr("提示"), self.tr("请先在列表中选择一件澄清正名。"))
        return row

    def _run(self, fn, clarification_id: int) -> bool:
        # Change.CLARIFICATION refreshes this page (keeping the selection when the row is still listed)
        if ops.run(self, self.ctx, fn, changes=(Change.CLARIFICATION,), reload=self.refresh) is ops.FAILED:
            return False
        self._keep(clarification_id)
        return True

    def _on_edit_button_clicked(self) -> None:
        row = self.selected()
        if row is not None:
            ClarificationDialog(self.ctx, row.id, self).exec()
            self._keep(row.id)

    def _on_approve_button_clicked(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = _DatesDialog(self.tr("批准澄清正名"), self.tr("批准日期"), self.tr("批准人"), self.ctx.today(),
                              self.tr("如：区纪委常委会"), self)
        if dialog.exec() != QDialog.Accepted:
            return
        self._run(lambda s: clar.approve(s, self.ctx.actor, row.id, dialog.text_edit.text(),
                                         dialog.date_edit.value(), version=row.version,
                                         today=self.ctx.today()), row.id)

    def _on_done_button_clicked(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = _DatesDialog(self.tr("登记澄清完成"), self.tr("完成日期"), self.tr("文号"), self.ctx.today(),
                              self.tr("不填则自动编发文号"), self)
        if row.doc_number:
            dialog.text_edit.setText(row.doc_number)
        if dialog.exec() != QDialog.Accepted:
            return
        self._run(lambda s: clar.mark_done(s, self.ctx.actor, row.id, dialog.date_edit.value(),
                                           doc_number=dialog.text_edit.text(), version=row.version,
                                           today=self.ctx.today()), row.id)

    def _on_decline_button_clicked(self) -> None:
        row = self.selected()
        if row is None:
            return
        reason, ok = QInputDialog.getText(self, self.tr("终止澄清正名"), self.tr("终止原因（如：本人书面表示不需要澄清）："))
        if ok:
            self._run(lambda s: clar.decline(s, self.ctx.actor, row.id, reason, on=self.ctx.today(),
                                             version=row.version), row.id)

    def build_pdf(self, row: clar.ClarificationRow, variant: str):
        """The preview: the document with its 文号 when it was issued before, else 〔文号待编〕 (takes no number)."""
        from reports import clarification_notice

        with self.ctx.db.session() as s:
            return clarification_notice.build_for(s, self.ctx.actor, row.id, self.ctx.today(), variant=variant)

    def issue_document(self, row: clar.ClarificationRow, variant: str):
        """(session, fmt) -> the issued document: numbered when printed or saved (the preview window calls it)."""
        from reports import clarification_notice

        def issue(session, fmt: str):
            return clarification_notice.build_for(session, self.ctx.actor, row.id, self.ctx.today(), variant=variant,
                                                  issue=True, fmt=fmt)
        return issue

    def _print(self, variant: str) -> None:
        row = self.selected()
        if row is None:
            return
        try:
            doc = self.build_pdf(row, variant)
        except AppError as exc:
            show_error(self, exc, self.tr("无法生成澄清文书"))
            return
        self.ctx.notify(Change.CLARIFICATION)
        self._keep(row.id)
        from gui.dialogs.pdf_preview import PdfPreviewWindow

        window = PdfPreviewWindow(self.ctx, doc.data, document="clarification", title=doc.title, subject_id=row.id,
                                  cadre_id=doc.cadre_id, suggested_name=f"{doc.title}.pdf", parent=self,
                                  issue=self.issue_document(row, variant), word=True)
        self.previews.append(window)
        window.show()
