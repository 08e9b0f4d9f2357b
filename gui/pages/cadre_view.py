"""A cadre's own page: the 任免审批表 data with photo, resume, family and annual assessments, the generated
奖惩情况, and tabs for commendations, handling (each restriction with its dates and explanation), visits, expiry
assessments, accusations (never the reporter) and clarifications. Each record opens its dialog where one exists.
"""
from __future__ import annotations

import importlib
import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog, QGridLayout, QHBoxLayout, QLabel, QMessageBox, QPushButton, QTableView, QTabWidget, QTextBrowser,
    QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from gui.widgets.cadre_models import fmt_date
from gui.widgets.list_keys import open_on_enter
from gui.widgets.row_table_model import RowsTableModel
from gui.widgets.timeline import TimelineTab
from gui.errors import show_error
from models.reference import id_number
from models.services.cadres import profile as cadre_profile
from gui.widgets.form_dialog import fit_to_screen

log = logging.getLogger(__name__)

# Dialogs of the other areas, opened as cls(ctx, record_id, parent); a missing module is skipped quietly.
OPENERS = {
    "commendation": ("gui.dialogs.commendation", "CommendationDialog"),
    "handling": ("gui.dialogs.handling", "HandlingDialog"),
    "visit": ("gui.dialogs.visit", "VisitDialog"),
    "expiry_assessment": ("gui.dialogs.assessment", "AssessmentDialog"),
    "accusation": ("gui.dialogs.accusation", "AccusationDialog"),
    "clarification": ("gui.dialogs.clarification", "ClarificationDialog"),
}
HANDLING_STATUS = {"in_force": "执行中", "changed": "已变更", "revoked": "已撤销", "not_executed": "未执行",
                   "superseded": "已被吸收"}


def open_record(ctx, kind: str, record_id: int, parent=None) -> bool:
    """Open the dialog of a record if that dialog is part of this build; True when one was shown."""
    module, cls = OPENERS[kind]
    try:
        dialog_cls = getattr(importlib.import_module(module), cls)
    except (ModuleNotFoundError, AttributeError):
        QMessageBox.information(parent, "提示", "这类记录的详细页面尚未提供，请到对应的页面查看。")
        return False
    dialog = dialog_cls(ctx, record_id, parent)
    dialog.exec()
    return True


class CadreView(QDialog):
    """Attributes:
        detail: the CadreDetail shown.
    """

    def __init__(self, ctx, cadre_id: int, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.cadre_id = cadre_id
        self.detail: cadre_profile.CadreDetail | None = None
        self._setup_ui()
        self._connect_signals()
        self.refresh()

    def _setup_ui(self) -> None:
        self.setObjectName("cadreView")
        fit_to_screen(self, 1000, 760)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.photo = QLabel()
        self.photo.setObjectName("photoLabel")
        self.photo.setFixedSize(120, 160)
        self.photo.setAlignment(Qt.AlignCenter)
        self.photo.setStyleSheet("border: 1px solid #aaa; color: #888;")
        top.addWidget(self.photo, 0, Qt.AlignTop)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(14)
        for col in (1, 3, 5):
            self.grid.setColumnStretch(col, 1)
        top.addLayout(self.grid, 1)
        buttons = QVBoxLayout()
        self.edit_button = QPushButton(self.tr("修改…"))
        self.edit_button.setObjectName("editButton")
        self.edit_button.setEnabled(self.ctx.actor.can("write"))
        buttons.addWidget(self.edit_button)
        # what is recorded about this person starts here, with the person already chosen
        writer = self.ctx.actor.can("write")
        self.handling_button = self._action_button("newHandlingForCadre", "登记处理处分…", buttons, writer)
        self.visit_button = self._action_button("newVisitForCadre", "登记回访…", buttons, writer)
        self.commendation_button = self._action_button("newCommendationForCadre", "登记表彰奖励…", buttons, writer)
        self.assessment_button = self._action_button("newAssessmentForCadre", "录入期满考核…", buttons, writer)
        self.check_button = self._action_button("promotionCheckForCadre", "考察对象核查", buttons, True)
        buttons.addStretch(1)
        top.addLayout(buttons)
        layout.addLayout(top)
        self.rewards_label = QLabel()
        self.rewards_label.setObjectName("rewardsText")
        self.rewards_label.setWordWrap(True)
        self.rewards_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.rewards_label)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("cadreViewTabs")
        layout.addWidget(self.tabs, 1)
        # 任免表: resume, family, annual assessments
        self.resume = QTextBrowser()
        self.resume.setObjectName("resumeText")
        self.family_model = RowsTableModel([
            ("称谓", lambda r: r["relation"]), ("姓名", lambda r: r["name"]), ("出生年月", lambda r: r.get("birth")),
            ("政治面貌", lambda r: r.get("political_status")), ("工作单位及职务", lambda r: r.get("work_and_post")),
        ], id_getter=lambda r: None)
        self.tabs.addTab(self._split(self.tr("简历"), self.resume, self.tr("家庭主要成员及重要社会关系"),
                                     self._table(self.family_model, "familyTable")), self.tr("任免表"))
        self.commendation_model = RowsTableModel([
            ("奖励日期", lambda r: r.awarded_on), ("种类", lambda r: r.kind), ("称号", lambda r: r.honour),
            ("奖励机关", lambda r: r.organ), ("文号", lambda r: r.doc_number),
            ("急难险重", lambda r: r.urgent_task), ("双胜利", lambda r: r.double_victory),
            ("撤销", lambda r: f"{r.revoked_on}撤销：{r.revoked_reason}" if r.revoked_on else ""),
        ], muted=lambda r: r.revoked_on is not None or r.withdrawn)
        self.commendation_table = self._table(self.commendation_model, "commendationTable")
        self.tabs.addTab(self.commendation_table, self.tr("表彰奖励"))
        self.handling_tree = QTreeWidget()
        self.handling_tree.setObjectName("handlingTree")
        self.handling_tree.setHeaderLabels([self.tr("处理处分 / 限制"), self.tr("生效/起始"), self.tr("最后一日"),
                                            self.tr("期满之日"), self.tr("状态"), self.tr("说明")])
        self.handling_tree.setColumnWidth(0, 260)
        self.handling_tree.setWordWrap(True)
        self.handling_explain = QTextBrowser()
        self.handling_explain.setObjectName("handlingExplain")
        self.handling_explain.setPlaceholderText(self.tr("选中一条处分或限制，这里显示日期的计算依据和说明。"))
        self.tabs.addTab(self._split(self.tr("处理处分及其限制（双击打开记录）"), self.handling_tree,
                                     self.tr("计算依据和说明"), self.handling_explain), self.tr("处理处分"))
        self.visit_model = RowsTableModel([
            ("回访日期", lambda r: r.visited_on), ("第几次", lambda r: r.seq), ("形式", lambda r: r.form),
            ("评价", lambda r: r.evaluation),
        ])
        self.visit_table = self._table(self.visit_model, "visitTable")
        self.tabs.addTab(self.visit_table, self.tr("回访教育"))
        self.assessment_model = RowsTableModel([
            ("考核日期", lambda r: r.assessed_on), ("结果", lambda r: r.outcome), ("使用建议", lambda r: r.recommendation),
            ("使用日期", lambda r: r.used_on), ("使用职务", lambda r: r.used_post),
        ])
        self.assessment_table = self._table(self.assessment_model, "expiryAssessmentTable")
        self.tabs.addTab(self.assessment_table, self.tr("影响期满考核"))
        self.accusation_model = RowsTableModel([
            ("收到日期", lambda r: r.received_on), ("类别", lambda r: r.category), ("处置方式", lambda r: r.disposal),
            ("结果", lambda r: r.outcome), ("办结日期", lambda r: r.outcome_on),
        ])
        self.accusation_table = self._table(self.accusation_model, "accusationTable")
        self.tabs.addTab(self.accusation_table, self.tr("举报"))
        self.clarification_model = RowsTableModel([
            ("状态", lambda r: r.status), ("方式", lambda r: r.methods), ("完成日期", lambda r: r.done_on),
            ("文号", lambda r: r.doc_number),
        ])
        self.clarification_table = self._table(self.clarification_model, "clarificationTable")
        self.tabs.addTab(self.clarification_table, self.tr("澄清正名"))
        self.timeline_tab = TimelineTab(self.ctx, self.cadre_id)  # restrictions as bars, events as marks, today
        self.timeline_tab.handling_clicked.connect(lambda hid: open_record(self.ctx, "handling", hid, self))
        self.tabs.addTab(self.timeline_tab, self.tr("时间线"))

    def _action_button(self, name: str, text: str, layout, enabled: bool) -> QPushButton:
        b = QPushButton(self.tr(text))
        b.setObjectName(name)
        b.setEnabled(enabled)
        layout.addWidget(b)
        return b

    def _table(self, model, name: str) -> QTableView:
        view = QTableView()
        view.setObjectName(name)
        view.setModel(model)
        view.setSelectionBehavior(QTableView.SelectRows)
        view.setEditTriggers(QTableView.NoEditTriggers)
        view.horizontalHeader().setStretchLastSection(True)
        view.verticalHeader().hide()
        return view

    def _split(self, t1: str, w1: QWidget, t2: str, w2: QWidget) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(QLabel(t1))
        box.addWidget(w1, 1)
        box.addWidget(QLabel(t2))
        box.addWidget(w2, 1)
        return page

    def _connect_signals(self) -> None:
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.commendation_table.doubleClicked.connect(lambda i: self._open("commendation", self.commendation_model, i))
        self.visit_table.doubleClicked.connect(lambda i: self._open("visit", self.visit_model, i))
        self.assessment_table.doubleClicked.connect(lambda i: self._open("expiry_assessment", self.assessment_model, i))
        self.accusation_table.doubleClicked.connect(lambda i: self._open("accusation", self.accusation_model, i))
        self.clarification_table.doubleClicked.connect(
            lambda i: self._open("clarification", self.clarification_model, i))
        for kind, model, view in (("commendation", self.commendation_model, self.commendation_table),
                                  ("visit", self.visit_model, self.visit_table),
                                  ("expiry_assessment", self.assessment_model, self.assessment_table),
                                  ("accusation", self.accusation_model, self.accusation_table),
                                  ("clarification", self.clarification_model, self.clarification_table)):
            open_on_enter(view, lambda i, k=kind, m=model: self._open(k, m, i))
        self.handling_button.clicked.connect(self._on_handling_button_clicked)
        self.visit_button.clicked.connect(self._on_visit_button_clicked)
        self.commendation_button.clicked.connect(self._on_commendation_button_clicked)
        self.assessment_button.clicked.connect(self._on_assessment_button_clicked)
        self.check_button.clicked.connect(self._on_check_button_clicked)
        self.handling_tree.itemDoubleClicked.connect(self._on_handling_tree_item_double_clicked)
        self.handling_tree.currentItemChanged.connect(self._on_handling_tree_current_item_changed)
        self.ctx.data_changed.connect(self._on_data_changed)

    # --- content
    def refresh(self) -> None:
        try:
            with self.ctx.db.session() as s:
                self.detail = cadre_profile.detail(s, self.ctx.actor, self.cadre_id, today=self.ctx.today())
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        d = self.detail
        v = d.values
        self.setWindowTitle(self.tr("干部：%1").replace("%1", v["name"]) + (self.tr("（已撤销）") if d.withdrawn else ""))
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        born = id_number.birth_text(v.get("birth_date"), v.get("birth_year"))  # year only for some roles
        birth_text = f"{born}（{d.age}岁）" if born else ""
        pairs = [
            ("姓名", v["name"]), ("性别", v.get("gender")), ("出生年月", birth_text), ("民族", v.get("ethnicity")),
            ("籍贯", v.get("native_place")), ("出生地", v.get("birthplace")), ("入党时间", v.get("party_joined")),
            ("参加工作时间", self._ym(v.get("work_started"))), ("健康状况", v.get("health")),
            ("身份证号", v.get("id_number")), ("政治面貌", v.get("political_status")),
            ("专业技术职务", v.get("tech_title")),
            ("全日制教育", " ".join(x for x in (v.get("ft_education"), v.get("ft_degree"), v.get("ft_education_school")) if x)),
            ("在职教育", " ".join(x for x in (v.get("pt_education"), v.get("pt_degree"), v.get("pt_education_school")) if x)),
            ("工作单位", d.unit_name), ("现任职务", v.get("current_post")), ("职务层次", v.get("post_level")),
            ("职级", v.get("rank")), ("身份类别", v.get("identity_category")), ("状态", v.get("status")),
            ("年度考核结果", d.assessment_text or v.get("annual_assessment_text")),
        ]
        for n, (label, value) in enumerate(pairs):
            r, c = divmod(n, 3)
            wide = label == "年度考核结果"
            if wide:
                r, c = (len(pairs) - 2) // 3 + 1, 0
            name = QLabel(self.tr(label) + "：")
            name.setStyleSheet("color: #555;")
            val = QLabel(value or "")
            val.setObjectName(f"value_{label}")
            val.setWordWrap(True)
            val.setTextInteractionFlags(Qt.TextSelectableByMouse)
            self.grid.addWidget(name, r, c * 2, Qt.AlignRight | Qt.AlignTop)
            self.grid.addWidget(val, r, c * 2 + 1, 1, 5 if wide else 1, Qt.AlignTop)
        if v.get("photo"):
            pix = QPixmap()
            pix.loadFromData(v["photo"])
            self.photo.setPixmap(pix.scaled(self.photo.size(), Qt.KeepAspectRatio, Qt.SmoothTransformation))
        else:
            self.photo.setPixmap(QPixmap())
            self.photo.setText(self.tr("无照片"))
        self.rewards_label.setText(self.tr("奖惩情况：") + d.rewards_and_sanctions)
        self.resume.setPlainText(v.get("resume") or "")
        self.family_model.set_rows(d.family)
        self.commendation_model.set_rows(d.commendations)
        self.visit_model.set_rows(d.visits)
        self.assessment_model.set_rows(d.expiry_assessments)
        self.accusation_model.set_rows(d.accusations)
        self.clarification_model.set_rows(d.clarifications)
        self._fill_handlings(d.handlings)
        self.timeline_tab.refresh()
        counts = [None, len(d.commendations), len(d.handlings), len(d.visits), len(d.expiry_assessments),
                  len(d.accusations), len(d.clarifications)]
        titles = ["任免表", "表彰奖励", "处理处分", "回访教育", "影响期满考核", "举报", "澄清正名"]
        for i, (t, n) in enumerate(zip(titles, counts)):
            self.tabs.setTabText(i, self.tr(t) + (f"（{n}）" if n else ""))

    @staticmethod
    def _ym(d) -> str:
        return f"{d.year}.{d.month:02d}" if d else ""

    def _fill_handlings(self, handlings) -> None:
        self.handling_tree.clear()
        for h in handlings:
            status = HANDLING_STATUS.get(h.status, h.status) + (self.tr("（已撤回）") if h.withdrawn else "")
            top = QTreeWidgetItem([h.label, fmt_date(h.effective_on), "", fmt_date(h.off_date), status,
                                   h.explanation or ""])
            top.setData(0, Qt.UserRole, h.id)
            top.setToolTip(5, h.explanation or "")
            top.setData(0, Qt.UserRole + 1, "\n".join(x for x in (
                h.label, f"文号：{h.doc_number}" if h.doc_number else "", f"决定机关：{h.organ}" if h.organ else "",
                h.explanation or "") if x))
            for r in h.restrictions:
                last = fmt_date(r.last_day) + (self.tr("（人工调整）") if r.overridden else "")
                why = r.explanation or ""
                if r.overridden and r.override_reason:
                    why = self.tr("人工调整理由：") + r.override_reason + "；" + why
                child = QTreeWidgetItem([r.label, fmt_date(r.start), last or self.tr("长期"), fmt_date(r.off_date),
                                         "", why])
                child.setToolTip(5, (r.basis or "") + "\n" + why)
                child.setData(0, Qt.UserRole, h.id)
                child.setData(0, Qt.UserRole + 1, "\n".join(x for x in (r.label, why, r.basis or "") if x))
                top.addChild(child)
            self.handling_tree.addTopLevelItem(top)
            top.setExpanded(True)
        self.handling_tree.resizeColumnToContents(1)
        if self.handling_tree.topLevelItemCount():
            self.handling_tree.setCurrentItem(self.handling_tree.topLevelItem(0))

    # --- slots
    def _open(self, kind: str, model: RowsTableModel, index) -> None:
        record_id = model.data(model.index(index.row(), 0), Qt.UserRole)
        if record_id is not None:
            open_record(self.ctx, kind, record_id, self)

    def _on_handling_tree_item_double_clicked(self, item, _column) -> None:
        record_id = item.data(0, Qt.UserRole)
        if record_id is not None:
            open_record(self.ctx, "handling", record_id, self)

    def _on_handling_tree_current_item_changed(self, item, _previous) -> None:
        if item is None:
            self.handling_explain.clear()
            return
        text = item.data(0, Qt.UserRole + 1) or ""
        self.handling_explain.setPlainText(text)

    def _name(self) -> str:
        return self.detail.values["name"] if self.detail else ""

    def _on_handling_button_clicked(self) -> None:
        from gui.dialogs.handling import HandlingDialog

        self.last_dialog = HandlingDialog(self.ctx, None, self, cadre_id=self.cadre_id)
        self.last_dialog.exec()

    def _on_commendation_button_clicked(self) -> None:
        from gui.dialogs.commendation import CommendationDialog

        self.last_dialog = CommendationDialog(self.ctx, None, self, cadre_id=self.cadre_id, cadre_name=self._name())
        self.last_dialog.exec()

    def _on_assessment_button_clicked(self) -> None:
        from gui.dialogs.assessment import AssessmentDialog

        self.last_dialog = AssessmentDialog(self.ctx, parent=self, cadre_id=self.cadre_id)
        self.last_dialog.exec()

    def _on_visit_button_clicked(self) -> None:
        """The person's next open plan when there is one (its decision and window filled in), else the person."""
        from gui.dialogs.visit import VisitDialog
        from models.services.visits import plans as visit_plans

        with self.ctx.db.session() as s:
            plans = visit_plans.list_plans(s, self.ctx.actor, self.ctx.today(), "open", cadre_id=self.cadre_id, limit=1)
        dialog = VisitDialog(self.ctx, self, plan=plans[0] if plans else None)
        if not plans:
            dialog.picker.set_fixed(self.cadre_id, self._name(), f"{self._name()}（{self.detail.unit_name or ''}）"
                                    if self.detail else self._name())
            dialog._fill_handlings(self.cadre_id)
            dialog.mark_clean()
        self.last_dialog = dialog
        dialog.exec()

    def _on_check_button_clicked(self) -> None:
        from models.services import assessments as asv

        with self.ctx.db.session() as s:
            check = asv.promotion_check(s, self.ctx.actor, self.cadre_id, self.ctx.today())
        QMessageBox.information(self, self.tr("考察对象核查"), check.message)

    def _on_edit_button_clicked(self) -> None:
        from gui.dialogs.cadre import CadreDialog

        dialog = CadreDialog(self.ctx, self.cadre_id, self)
        dialog.open_cadre_requested.connect(lambda cid: CadreView(self.ctx, cid, self).exec())
        dialog.exec()

    def _on_data_changed(self, _entity: str) -> None:
        if self.isVisible():
            self.refresh()
