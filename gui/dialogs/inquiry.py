"""登记函询 with the guard of the Wuhan measures, and 登记回复.

InquiryDialog runs the guard (models.services.inquiries.check_guard) as soon as it opens and whenever another
person concerned is chosen, lists what it found, and asks for a written reason before a 函询 that the guard
stands against can be recorded. Every other report on the person that the guard compared with is listed (those
that stand against the 函询 first, in red), so the officer sees what was looked at, not only what matched. The reply due date (15 working days, holiday calendar) is shown before saving.
"""
from __future__ import annotations

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QTreeWidget,
    QTreeWidgetItem, QVBoxLayout, QWidget,
)

from gui import ops
from gui.context import AppContext
from gui.errors import show_error
from gui.ops import Change
from gui.widgets.date_field import DateField
from gui.widgets.form_dialog import FormDialog, clear_on_edit, fit_to_screen
from models.services import accusations as acc
from models.services import inquiries as inq
from models.core.errors import AppError

STATE_LABELS = {None: "", "open": "函询未回复", "concluded": "函询已办结"}


class InquiryDialog(FormDialog):
    """Attributes: guard (GuardResult of the chosen person), saved (InquiryRow after 保存)."""

    def __init__(self, ctx: AppContext, row: acc.AccusationRow, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.row = row
        self.guard: inq.GuardResult | None = None
        self.saved: inq.InquiryRow | None = None
        self._setup_ui()
        self._connect_signals()
        self.run_guard()
        self.mark_clean()

    def _setup_ui(self) -> None:
        self.setWindowTitle(self.tr("登记函询"))
        self.setObjectName("inquiryDialog")
        fit_to_screen(self, 760, 600)
        layout = QVBoxLayout(self)
        head = QLabel(self.tr("第%1号举报（%2，%3收到）：%4").replace("%1", str(self.row.id))
                      .replace("%2", self.row.category).replace("%3", self.row.received_on.isoformat())
                      .replace("%4", self.row.summary))
        head.setWordWrap(True)
        layout.addWidget(head)
        form = QFormLayout()
        self.cadre_combo = QComboBox()
        self.cadre_combo.setObjectName("inquiryCadreCombo")
        for subj in self.row.subjects:
            self.cadre_combo.addItem(f"{subj.name}　{subj.unit_name or ''}", subj.cadre_id)
        self.sent_edit = DateField(label="发函日期", field="sent_on", required=True, value=self.ctx.today())
        self.sent_edit.setObjectName("sentEdit")
        self.doc_edit = QLineEdit()
        self.doc_edit.setObjectName("inquiryDocEdit")
        self.doc_edit.setPlaceholderText(self.tr("函询函文号（可不填），如 某纪函〔2024〕5号"))
        self.due_label = QLabel()
        self.due_label.setObjectName("dueLabel")
        form.addRow(self.tr("函询对象"), self.cadre_combo)
        form.addRow(self.tr("发函日期"), self.sent_edit)
        form.addRow(self.tr("文号"), self.doc_edit)
        form.addRow(self.tr("回复期限"), self.due_label)
        layout.addLayout(form)

        self.verdict_label = QLabel()
        self.verdict_label.setObjectName("guardVerdict")
        self.verdict_label.setWordWrap(True)
        layout.addWidget(self.verdict_label)
        self.findings_tree = QTreeWidget()
        self.findings_tree.setObjectName("guardFindings")
        self.findings_tree.setHeaderLabels([self.tr("举报"), self.tr("收到"), self.tr("类别"), self.tr("相似度"),
                                            self.tr("函询"), self.tr("比较结果"), self.tr("内容")])
        self.compared_label = QLabel()
        self.compared_label.setObjectName("guardCompared")
        self.compared_label.setWordWrap(True)
        layout.addWidget(self.compared_label)
        self.findings_tree.setRootIsDecorated(False)
        layout.addWidget(self.findings_tree, 1)
        self.reason_label = QLabel(self.tr("仍需函询的理由（必填，将记入审计日志）："))
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setObjectName("overrideReasonEdit")
        self.reason_edit.setMaximumHeight(90)
        layout.addWidget(self.reason_label)
        layout.addWidget(self.reason_edit)
        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.Save)
        self.save_button.setObjectName("saveInquiryButton")
        self.save_button.setText(self.tr("登记函询"))
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.cadre_combo.currentIndexChanged.connect(lambda _i: self.run_guard())
        self.sent_edit.textChanged.connect(lambda _t: self._update_due())
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        for w in (self.cadre_combo, self.sent_edit, self.reason_edit):
            clear_on_edit(w, self.error_label)

    def run_guard(self) -> None:
        cadre_id = self.cadre_combo.currentData()
        self.findings_tree.clear()
        if cadre_id is None:
            self.verdict_label.setText(self.tr("这条举报没有被反映人，不能函询。"))
            self.save_button.setEnabled(False)
            return
        try:
            with self.ctx.db.session() as s:
                self.guard = inq.check_guard(s, self.ctx.actor, self.row.id, cadre_id, today=self.ctx.today())
        except AppError as exc:
            show_error(self, exc)
            self.save_button.setEnabled(False)
            return
        g = self.guard
        if g.blocked:
            self.verdict_label.setText(self.tr("函询前检查未通过：%1。按照“不对内容不具体、难以查证的举报函询，不对重复、"
                                               "相似举报重复函询”的要求，如确需函询，请写明理由。")
                                       .replace("%1", "；".join(g.problems)))
            self.verdict_label.setStyleSheet("color: #b00000;")
        else:
            self.verdict_label.setText(self.tr("函询前检查通过：举报内容具体、可查证，未发现相同或相似的举报和重复函询。"))
            self.verdict_label.setStyleSheet("color: #006000;")
        if g.compared:
            self.compared_label.setText(
                self.tr("已与该干部的其他%1条举报逐条比较内容（不论问题类别，相似度达到%2即视为相似）：%3条相同或相似。")
                .replace("%1", str(len(g.compared))).replace("%2", str(g.threshold))
                .replace("%3", str(len(g.findings))))
        else:
            self.compared_label.setText(self.tr("该干部没有其他举报可比较。"))
        red = QBrush(QColor("#b00000"))
        for f in g.compared:
            item = QTreeWidgetItem([
                str(f.accusation_id), f.received_on.isoformat(), f.category, str(f.score),
                STATE_LABELS.get(f.inquiry_state, "") + (f"（{f.inquiry_sent_on.isoformat()}）" if f.inquiry_sent_on else ""),
                "；".join(f.reasons) if f.matched else self.tr("不相似"), f.summary,
            ])
            item.setToolTip(6, f.summary)
            if f.matched:
                for col in range(7):
                    item.setForeground(col, red)
            self.findings_tree.addTopLevelItem(item)
        for col in range(6):
            self.findings_tree.resizeColumnToContents(col)
        self.findings_tree.setVisible(True)  # empty when nothing to compare: it keeps the form from spreading out
        self.reason_label.setVisible(g.blocked)
        self.reason_edit.setVisible(g.blocked)
        self.save_button.setEnabled(True)
        self._update_due()

    def _update_due(self) -> None:
        try:
            sent = self.sent_edit.value()
            with self.ctx.db.session() as s:
                due = inq.due_date(s, sent)
                days = inq.reply_working_days(s)
        except AppError as exc:
            self.due_label.setText(exc.message)
            return
        self.due_label.setText(self.tr("%1个工作日，应于%2前回复（已扣除节假日，计入调休上班日）")
                               .replace("%1", str(days)).replace("%2", due.isoformat()))

    def _show_error(self, exc: AppError) -> None:
        self.error_label.setText(exc.message)
        self.error_label.show()

    def _on_save(self) -> None:
        try:
            sent = self.sent_edit.value()
        except AppError as exc:
            self._show_error(exc)
            return
        saved = ops.run(self, self.ctx, lambda s: inq.create_inquiry(
            s, self.ctx.actor, self.row.id, self.cadre_combo.currentData(), sent,
            override_reason=self.reason_edit.toPlainText() if self.guard and self.guard.blocked else None,
            doc_number=self.doc_edit.text(), today=self.ctx.today()),
            changes=(Change.INQUIRY, Change.ACCUSATION), on_error=self._show_error)
        if saved is ops.FAILED:
            return
        self.saved = saved
        self.accept()


class ReplyDialog(FormDialog):
    """登记函询回复: the date of the written reply and how the 函询 was closed."""

    def __init__(self, ctx: AppContext, row: inq.InquiryRow, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.row = row
        self.saved: inq.InquiryRow | None = None
        self.setWindowTitle(self.tr("登记函询回复"))
        self.setObjectName("replyDialog")
        form = QFormLayout(self)
        form.addRow(QLabel(self.tr("%1：%2发函，应于%3前回复").replace("%1", row.cadre_name)
                           .replace("%2", row.sent_on.isoformat()).replace("%3", row.due_on.isoformat())))
        self.replied_edit = DateField(label="回复日期", field="replied_on", required=True,
                                      value=row.replied_on or ctx.today())
        self.replied_edit.setObjectName("repliedEdit")
        self.outcome_combo = QComboBox()
        self.outcome_combo.setObjectName("replyOutcomeCombo")
        self.outcome_combo.addItems(list(inq.REPLY_OUTCOMES))
        if row.outcome:
            self.outcome_combo.setCurrentText(row.outcome)
        form.addRow(self.tr("回复日期"), self.replied_edit)
        form.addRow(self.tr("办理结果"), self.outcome_combo)
        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()
        form.addRow(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Save).setObjectName("saveReplyButton")
        form.addRow(self.buttons)
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        for w in (self.replied_edit, self.outcome_combo):
            clear_on_edit(w, self.error_label)
        self.mark_clean()

    def _show_error(self, exc: AppError) -> None:
        self.error_label.setText(exc.message)
        self.error_label.show()

    def _on_save(self) -> None:
        try:
            replied = self.replied_edit.value()
        except AppError as exc:
            self._show_error(exc)
            return
        saved = ops.run(self, self.ctx, lambda s: inq.record_reply(
            s, self.ctx.actor, self.row.id, replied, self.outcome_combo.currentText(), version=self.row.version,
            today=self.ctx.today()), changes=(Change.INQUIRY,), on_error=self._show_error)
        if saved is ops.FAILED:
            return
        self.saved = saved
        self.accept()
