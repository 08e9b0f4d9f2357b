"""One small form per change of the unit tree (models/services/units.py): 新增, 更名, 调整隶属, 合并到, 撤销.

A change made for a 机构改革 carries the date it took effect and the reason (the 编办 document), which the
unit's history then tells. Each save is one transaction through gui.ops, the message on the form's red line.

Attributes:
    saved_id: the unit created (create) or changed, after 保存.
"""
from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from gui import ops
from gui.ops import Change
from gui.widgets.date_field import DateField
from gui.widgets.form_dialog import FormDialog
from gui.widgets.unit_field import UnitField
from models.services import units as unit_service

TITLES = {"create": "新增单位", "rename": "单位更名", "move": "调整隶属关系", "merge": "合并到其他单位",
          "withdraw": "撤销单位"}
EXPLAIN = {
    "create": "在所选上级单位之下新增；不选上级单位则为顶层单位。",
    "rename": "原名称保留在单位沿革中；本单位的干部随之显示新名称。",
    "move": "本单位连同下级单位和干部，一起调整到新的上级单位之下。不选上级单位则调整为顶层单位。",
    "merge": "本单位的干部和下级单位全部转入所选单位，本单位随即撤销（记录保留，沿革中可查）。",
    "withdraw": "只有没有干部、没有下级单位的单位才能撤销；记录保留，沿革中可查。",
}


class UnitDialog(FormDialog):
    def __init__(self, ctx, mode: str, *, unit_id: int | None = None, parent_id: int | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.mode, self.unit_id = ctx, mode, unit_id
        self.saved_id: int | None = None
        self.setObjectName("unitDialog")
        self.setWindowTitle(self.tr(TITLES[mode]))
        self._setup_ui(parent_id)
        self.mark_clean()

    def _setup_ui(self, parent_id: int | None) -> None:
        layout = QVBoxLayout(self)
        current = None
        if self.unit_id is not None:
            with self.ctx.db.session() as s:
                current = unit_service.path_label(s, self.unit_id)
            head = QLabel(self.tr("单位：%1").replace("%1", current))
            head.setObjectName("unitHead")
            head.setWordWrap(True)
            layout.addWidget(head)
        note = QLabel(self.tr(EXPLAIN[self.mode]))
        note.setWordWrap(True)
        layout.addWidget(note)
        form = QFormLayout()
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("unitNameEdit")
        self.target = None
        if self.mode in ("create", "move", "merge"):
            self.target = UnitField(self.ctx, self, blank_text=self.tr("（顶层，无上级单位）") if self.mode != "merge"
                                    else self.tr("（请选择）"))
            self.target.setObjectName("unitTargetField")
            self.target.set_value(parent_id)
        self.grassroots_check = QCheckBox(self.tr("基层单位（乡镇街道、社区村等）"))
        self.grassroots_check.setObjectName("grassrootsCheck")
        self.date_edit = DateField(label="生效日期", field="effective_on", placeholder="如 2024-03-01（可不填）")
        self.date_edit.setObjectName("unitDateEdit")
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("unitReasonEdit")
        self.reason_edit.setPlaceholderText(self.tr("如：机构改革，依据某编〔2024〕3号"))
        if self.mode == "create":
            form.addRow(self.tr("上级单位"), self.target)
            form.addRow(self.tr("单位名称"), self.name_edit)
            form.addRow("", self.grassroots_check)
        elif self.mode == "rename":
            with self.ctx.db.session() as s:
                self.name_edit.setText(unit_service.path_label(s, self.unit_id).split("/")[-1])
            form.addRow(self.tr("新名称"), self.name_edit)
        elif self.mode == "move":
            form.addRow(self.tr("新的上级单位"), self.target)
        elif self.mode == "merge":
            form.addRow(self.tr("并入"), self.target)
        if self.mode != "create":
            form.addRow(self.tr("生效日期"), self.date_edit)
            form.addRow(self.tr("原因"), self.reason_edit)
        layout.addLayout(form)
        self.error_label = QLabel()
        self.error_label.setObjectName("unitError")
        self.error_label.setStyleSheet("color: #b00000;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Save).setText(self.tr("撤销单位" if self.mode == "withdraw" else "保存"))
        self.buttons.button(QDialogButtonBox.Cancel).setText(self.tr("取消"))
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        self.resize(520, self.sizeHint().height())

    def _show_error(self, exc) -> None:
        self.error_label.setText(exc.message)
        self.error_label.show()

    def _on_save(self) -> None:
        try:
            when = self.date_edit.value() if self.mode != "create" else None
        except Exception as exc:  # noqa: BLE001 - a ValidationError naming the date
            self._show_error(exc)
            return
        actor, name, reason = self.ctx.actor, self.name_edit.text(), self.reason_edit.text()
        target = self.target.value() if self.target is not None else None
        uid = self.unit_id
        if self.mode == "create":
            def act(s):
                return unit_service.create_unit(s, actor, name, target,
                                                is_grassroots=self.grassroots_check.isChecked())
        elif self.mode == "rename":
            def act(s):
                unit_service.rename_unit(s, actor, uid, name, effective_on=when, reason=reason)
                return uid
        elif self.mode == "move":
            def act(s):
                unit_service.move_unit(s, actor, uid, target, effective_on=when, reason=reason)
                return uid
        elif self.mode == "merge":
            def act(s):
                if target is None:
                    from models.core.errors import ValidationError

                    raise ValidationError("请选择要并入的单位。", "into_id")
                unit_service.merge_unit(s, actor, uid, target, effective_on=when, reason=reason)
                return target
        else:
            def act(s):
                unit_service.withdraw_unit(s, actor, uid, reason, effective_on=when)
                return uid
        result = ops.run(self, self.ctx, act, changes=(Change.UNIT, Change.CADRE), on_error=self._show_error)
        if result is ops.FAILED:
            return
        self.saved_id = result
        self.mark_clean()
        self.accept()


def new_unit(ctx, parent: QWidget, parent_id: int | None) -> int | None:
    """A unit made on the spot from a form's unit field (UnitField's `create`): the id saved, or None."""
    dialog = UnitDialog(ctx, "create", parent_id=parent_id, parent=parent)
    return dialog.saved_id if dialog.exec() else None
