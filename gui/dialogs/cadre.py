"""The cadre edit form: the 任免表 fields and the registry fields, with messages beside the fields, the ID number
checked as it is typed (and birth date and gender filled in from it), and a link to the existing record when the
ID number is already registered."""
from __future__ import annotations

import functools
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QPlainTextEdit, QPushButton, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)

from gui import file_dialogs
from gui import ops
from gui.ops import Change
from gui.dialogs.unit import new_unit
from gui.widgets.date_field import DateField
from gui.widgets.unit_field import UnitField
from gui.widgets.form_dialog import FormDialog, clear_on_edit, fit_to_screen, scroll_body
from models.services.cadres import editing as cadre_editing
from models.reference import codes
from models.reference import id_number as idn
from models.core.errors import AppError, ValidationError

ERROR_STYLE = "color: #b03a2e;"
OK_STYLE = "color: #1e8449;"


def _combo(items, editable=True, blank=True) -> QComboBox:
    box = QComboBox()
    box.setEditable(editable)
    if blank:
        box.addItem("")
    box.addItems(list(items))
    return box


class CadreDialog(FormDialog):
    """New cadre (cadre_id None) or edit one.

    Signals:
        open_cadre_requested(int): the user followed the link to an existing cadre (duplicate ID number).
    Attributes:
        saved_id: the cadre's id after a successful save.
    """

    open_cadre_requested = Signal(int)

    TEXT_FIELDS = [
        # (key, label, tab, kind, choices)
        ("name", "姓名", 0, "line", None), ("id_number", "身份证号", 0, "line", None),
        ("gender", "性别", 0, "combo_fixed", codes.GENDERS), ("birth_date", "出生日期", 0, "date", None),
        ("ethnicity", "民族", 0, "combo", codes.ETHNICITIES), ("native_place", "籍贯", 0, "line", None),
        ("birthplace", "出生地", 0, "line", None), ("political_status", "政治面貌", 0, "combo", codes.POLITICAL_STATUS),
        ("party_joined", "入党时间", 0, "line", None), ("work_started", "参加工作时间", 0, "date", None),
        ("health", "健康状况", 0, "combo", codes.HEALTH), ("unit_id", "工作单位", 0, "unit", None),
        ("current_post", "现任职务", 0, "line", None), ("identity_category", "身份类别", 0, "combo", None),
        ("post_level", "职务层次", 0, "combo", codes.POST_LEVELS), ("rank", "职级", 0, "combo", None),
        ("grade", "级别", 0, "combo", codes.GRADES), ("post_since", "任现职时间", 0, "date", None),
        ("rank_since", "任现职级时间", 0, "date", None),
        ("management_authority", "干部管理权限", 0, "combo", codes.MANAGEMENT_AUTHORITY),
        ("status", "状态", 0, "combo_fixed", codes.CADRE_STATUSES), ("party_org", "所在党组织", 0, "line", None),
        ("is_party_member", "是否党员", 0, "check", None), ("is_grassroots", "基层干部", 0, "check", None),
        ("ft_education", "全日制学历", 1, "combo", None), ("ft_degree", "全日制学位", 1, "combo", None),
        ("ft_education_school", "毕业院校系及专业（学历）", 1, "line", None),
        ("ft_degree_school", "毕业院校系及专业（学位）", 1, "line", None),
        ("pt_education", "在职学历", 1, "combo", None), ("pt_degree", "在职学位", 1, "combo", None),
        ("pt_education_school", "毕业院校系及专业（在职学历）", 1, "line", None),
        ("pt_degree_school", "毕业院校系及专业（在职学位）", 1, "line", None),
        ("tech_title", "专业技术职务", 2, "line", None), ("specialty", "熟悉专业有何专长", 2, "line", None),
        ("proposed_post", "拟任职务", 2, "line", None), ("proposed_removal", "拟免职务", 2, "line", None),
        ("resume", "简历", 2, "text", None), ("annual_assessment_text", "年度考核结果", 2, "line", None),
        ("appointment_reason", "任免理由", 2, "text", None), ("reporting_unit", "呈报单位", 2, "line", None),
        ("form_filler", "填表人", 2, "line", None),
    ]

    def __init__(self, ctx, cadre_id: int | None = None, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.cadre_id = cadre_id
        self.saved_id: int | None = None
        self._version: int | None = None
        self._original: dict[str, Any] = {}
        self._photo: bytes | None = None
        self.inputs: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self._setup_ui()
        self._connect_signals()
        self._load()
        self.mark_clean()

    # --- UI
    def _setup_ui(self) -> None:
        self.setObjectName("cadreDialog")
        self.setWindowTitle(self.tr("新增干部") if self.cadre_id is None else self.tr("修改干部信息"))
        fit_to_screen(self, 860, 700)
        with self.ctx.db.session() as s:
            categories = codes.identity_categories(s)
            ranks = codes.all_ranks(s)
            education = codes.editable(s, "education")
            degrees = codes.editable(s, "degrees")
        choices = {"identity_category": categories, "rank": ranks, "ft_education": education,
                   "pt_education": education, "ft_degree": degrees, "pt_degree": degrees}
        self.tabs = QTabWidget()
        self.tabs.setObjectName("cadreTabs")
        forms = []
        for title in (self.tr("基本信息"), self.tr("学历学位"), self.tr("任免表其他项")):
            page = QWidget()
            form = QFormLayout(page)
            form.setLabelAlignment(Qt.AlignRight)
            forms.append(form)
            self.tabs.addTab(scroll_body(page), title)  # the form scrolls; 保存 stays on the screen
        for key, label, tab, kind, items in self.TEXT_FIELDS:
            widget = self._make_input(key, kind, choices.get(key, items))
            widget.setObjectName(f"field_{key}")
            self.inputs[key] = widget
            err = QLabel()
            err.setObjectName(f"error_{key}")
            err.setStyleSheet(ERROR_STYLE)
            err.setWordWrap(True)
            err.setTextInteractionFlags(Qt.TextBrowserInteraction)
            err.setOpenExternalLinks(False)
            err.hide()
            self.errors[key] = err
            box = QVBoxLayout()
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(2)
            box.addWidget(widget)
            if key == "id_number":
                self.id_check_label = QLabel()
                self.id_check_label.setObjectName("idCheckLabel")
                box.addWidget(self.id_check_label)
            box.addWidget(err)
            holder = QWidget()
            holder.setLayout(box)
            forms[tab].addRow(self.tr(label) + "：", holder)
        self.tabs.addTab(self._family_tab(), self.tr("家庭成员"))
        self.tabs.addTab(self._assessment_tab(), self.tr("年度考核"))
        self.tabs.addTab(self._photo_tab(), self.tr("照片"))
        self.form_error = QLabel()
        self.form_error.setObjectName("formError")
        self.form_error.setStyleSheet(ERROR_STYLE)
        self.form_error.setWordWrap(True)
        self.form_error.setTextInteractionFlags(Qt.TextBrowserInteraction)
        self.form_error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Save).setText(self.tr("保存"))
        self.buttons.button(QDialogButtonBox.Save).setObjectName("saveButton")
        self.buttons.button(QDialogButtonBox.Cancel).setText(self.tr("取消"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.form_error)
        layout.addWidget(self.buttons)

    def _make_input(self, key: str, kind: str, items) -> QWidget:
        if kind == "combo":
            return _combo(items or [])
        if kind == "combo_fixed":
            return _combo(items or [], editable=False)
        if kind == "unit":  # full paths (13 区财政局 told apart) and 新建单位… for an empty database
            return UnitField(self.ctx, self, create=functools.partial(new_unit, self.ctx))
        if kind == "check":
            return QCheckBox()
        if kind == "text":
            edit = QPlainTextEdit()
            edit.setFixedHeight(120 if key == "resume" else 60)
            return edit
        if kind == "date":  # the 任免表 writes months (1975.03): a month alone is the 1st
            label = next(lbl for k, lbl, *_ in self.TEXT_FIELDS if k == key)
            return DateField(label=label, field=key, month_ok=True)
        edit = QLineEdit()
        if key == "id_number":
            edit.setPlaceholderText(self.tr("18位公民身份号码"))
        if key == "party_joined":
            edit.setPlaceholderText("200108 或 200108；民建")
        return edit

    def _family_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.family_table = QTableWidget(0, 5)
        self.family_table.setObjectName("familyTable")
        self.family_table.setHorizontalHeaderLabels(
            [self.tr("称谓"), self.tr("姓名"), self.tr("出生年月"), self.tr("政治面貌"), self.tr("工作单位及职务")])
        self.family_table.horizontalHeader().setStretchLastSection(True)
        row = QHBoxLayout()
        add = QPushButton(self.tr("增加一行"))
        add.setObjectName("familyAddButton")
        add.clicked.connect(lambda: self.family_table.insertRow(self.family_table.rowCount()))
        remove = QPushButton(self.tr("删除所选行"))
        remove.clicked.connect(lambda: self.family_table.removeRow(self.family_table.currentRow()))
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        layout.addWidget(self.family_table)
        layout.addLayout(row)
        err = QLabel()
        err.setObjectName("error_family")
        err.setStyleSheet(ERROR_STYLE)
        err.hide()
        self.errors["family"] = err
        layout.addWidget(err)
        return page

    def _assessment_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.assessment_table = QTableWidget(0, 2)
        self.assessment_table.setObjectName("assessmentTable")
        self.assessment_table.setHorizontalHeaderLabels([self.tr("年度"), self.tr("考核等次")])
        self.assessment_table.horizontalHeader().setStretchLastSection(True)
        add = QPushButton(self.tr("增加一年"))
        add.clicked.connect(lambda: self.assessment_table.insertRow(self.assessment_table.rowCount()))
        remove = QPushButton(self.tr("删除所选行"))
        remove.clicked.connect(lambda: self.assessment_table.removeRow(self.assessment_table.currentRow()))
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        hint = QLabel(self.tr("等次：优秀、称职、基本称职、不称职、不定等次（事业单位：合格、基本合格、不合格）"))
        hint.setWordWrap(True)
        layout.addWidget(self.assessment_table)
        layout.addLayout(row)
        layout.addWidget(hint)
        err = QLabel()
        err.setObjectName("error_assessments")
        err.setStyleSheet(ERROR_STYLE)
        err.hide()
        self.errors["assessments"] = err
        layout.addWidget(err)
        return page

    def _photo_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.photo_label = QLabel(self.tr("无照片"))
        self.photo_label.setObjectName("photoLabel")
        self.photo_label.setFixedSize(180, 240)
        self.photo_label.setAlignment(Qt.AlignCenter)
        self.photo_label.setStyleSheet("border: 1px solid #aaa;")
        pick = QPushButton(self.tr("选择照片…"))
        pick.setObjectName("photoButton")
        pick.clicked.connect(self._on_photo_clicked)
        clear = QPushButton(self.tr("去掉照片"))
        clear.clicked.connect(lambda: self._set_photo(None))
        layout.addWidget(self.photo_label)
        layout.addWidget(pick)
        layout.addWidget(clear)
        err = QLabel()
        err.setObjectName("error_photo")
        err.setStyleSheet(ERROR_STYLE)
        err.hide()
        self.errors["photo"] = err
        layout.addWidget(err)
        layout.addStretch(1)
        return page

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)
        self.inputs["id_number"].textChanged.connect(self._on_id_number_text_changed)
        for key, widget in self.inputs.items():
            clear_on_edit(widget, self.errors[key], self.form_error)
        clear_on_edit(self.family_table, self.errors["family"], self.form_error)
        clear_on_edit(self.assessment_table, self.errors["assessments"], self.form_error)
        self.form_error.linkActivated.connect(self._on_link_activated)
        self.errors["id_number"].linkActivated.connect(self._on_link_activated)

    # --- values
    def _load(self) -> None:
        if self.cadre_id is None:
            self._set_value("status", "在职")
            return
        with self.ctx.db.session() as s:
            values = cadre_editing.form_values(s, self.ctx.actor, self.cadre_id)
        self._original = values
        self._version = values["version"]
        for key, *_ in self.TEXT_FIELDS:
            self._set_value(key, values.get(key))
        for m in values["family"]:
            r = self.family_table.rowCount()
            self.family_table.insertRow(r)
            for c, k in enumerate(("relation", "name", "birth", "political_status", "work_and_post")):
                self.family_table.setItem(r, c, QTableWidgetItem(m.get(k) or ""))
        for year, grade in values["assessments"]:
            r = self.assessment_table.rowCount()
            self.assessment_table.insertRow(r)
            self.assessment_table.setItem(r, 0, QTableWidgetItem(str(year)))
            self.assessment_table.setItem(r, 1, QTableWidgetItem(grade))
        self._set_photo(values.get("photo"))
        if not self.ctx.actor.can("see_id_number"):
            self.inputs["id_number"].setReadOnly(True)

    def _set_value(self, key: str, value: Any) -> None:
        w = self.inputs[key]
        if isinstance(w, UnitField):
            w.set_value(value)
        elif isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText(value or "")
        elif isinstance(w, QComboBox):
            text = value or ""
            i = w.findText(text)
            if i < 0 and text:
                w.addItem(text)
                i = w.findText(text)
            w.setCurrentIndex(max(i, 0))
        elif isinstance(value, date):
            w.setText(value.isoformat())
        else:
            w.setText("" if value is None else str(value))

    def _value(self, key: str, kind: str, label: str) -> Any:
        w = self.inputs[key]
        if isinstance(w, UnitField):
            return w.value()
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, QPlainTextEdit):
            return w.toPlainText()
        if isinstance(w, QComboBox):
            return w.currentText()
        if isinstance(w, DateField):
            return w.value()
        return w.text()

    def values(self) -> dict[str, Any]:
        """The form as a dict for the service; raises ValidationError for a date it cannot read."""
        data: dict[str, Any] = {}
        for key, label, _tab, kind, _items in self.TEXT_FIELDS:
            data[key] = self._value(key, kind, label)
        if self.cadre_id is not None and not self.ctx.actor.can("see_id_number"):
            data.pop("id_number")
        data["photo"] = self._photo
        family = []
        for r in range(self.family_table.rowCount()):
            cells = [(self.family_table.item(r, c).text() if self.family_table.item(r, c) else "") for c in range(5)]
            family.append(dict(zip(("relation", "name", "birth", "political_status", "work_and_post"), cells)))
        data["family"] = family
        assessments = []
        for r in range(self.assessment_table.rowCount()):
            year = self.assessment_table.item(r, 0).text().strip() if self.assessment_table.item(r, 0) else ""
            grade = self.assessment_table.item(r, 1).text().strip() if self.assessment_table.item(r, 1) else ""
            if not year and not grade:
                continue
            if not year.isdigit():
                raise ValidationError(f"年度考核第{r + 1}行：年度请写四位数字，如 2023。", "assessments")
            assessments.append((int(year), grade))
        data["assessments"] = assessments
        if self.cadre_id is not None:  # send only what changed, so that an unchanged field never conflicts
            data = {k: v for k, v in data.items() if not self._same(k, v)}
        return data

    def _same(self, key: str, value: Any) -> bool:
        old = self._original.get(key)
        if key == "family":
            return [{k: (m.get(k) or "") for k in m} for m in old] == [{k: (v or "").strip() for k, v in m.items()} for m in value]
        if key == "assessments":
            return list(old) == list(value)
        if isinstance(value, str):
            return (old or "") == value.strip()
        return old == value

    # --- slots
    def _on_id_number_text_changed(self, text: str) -> None:
        if not self.ctx.actor.can("see_id_number") and self.cadre_id is not None:
            return
        if not text.strip():
            self.id_check_label.setText("")
            return
        try:
            info = idn.parse(text, today=self.ctx.today())
        except ValidationError as exc:
            self.id_check_label.setStyleSheet(ERROR_STYLE)
            self.id_check_label.setText(exc.message if len(idn.normalise(text)) >= 15 else self.tr("已输入%1位").replace(
                "%1", str(len(idn.normalise(text)))))
            return
        self.id_check_label.setStyleSheet(OK_STYLE)
        self.id_check_label.setText(self.tr("✓ 校验通过：%1出生，%2").replace("%1", info.birth_date.isoformat())
                                    .replace("%2", info.gender))
        if not self.inputs["birth_date"].text().strip():
            self.inputs["birth_date"].setText(info.birth_date.isoformat())
        if not self.inputs["gender"].currentText():
            self.inputs["gender"].setCurrentText(info.gender)

    def _on_photo_clicked(self) -> None:
        path = file_dialogs.open_file_name(self, self.tr("选择照片"), "", self.tr("图片 (*.jpg *.jpeg *.png *.bmp)"))
        if path:
            with open(path, "rb") as fh:
                self._set_photo(fh.read())

    def _set_photo(self, data: bytes | None) -> None:
        self._photo = data or None
        if not data:
            self.photo_label.setPixmap(QPixmap())
            self.photo_label.setText(self.tr("无照片"))
            return
        pix = QPixmap()
        pix.loadFromData(data)
        self.photo_label.setPixmap(pix.scaled(self.photo_label.size(), Qt.KeepAspectRatio, Qt.SmoothTransformation))

    def _on_link_activated(self, link: str) -> None:
        if link.startswith("cadre:"):
            self.open_cadre_requested.emit(int(link.split(":", 1)[1]))

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.hide()
        self.form_error.clear()
        self.form_error.hide()

    def show_error(self, exc: AppError) -> None:
        field = getattr(exc, "field", None)
        text = exc.message
        if isinstance(exc, cadre_editing.DuplicateCadreError):
            text += f' <a href="cadre:{exc.existing_id}">{self.tr("打开“%1”的记录").replace("%1", exc.existing_name)}</a>'
        label = self.errors.get(field) if field else None
        if label is None:
            label = self.form_error
            self.form_error.setProperty("field", f"field_{field}" if field else "")
        label.setText(text)
        label.show()
        widget = self.inputs.get(field) if field else None
        if widget is not None:
            for i in range(self.tabs.count()):
                if self.tabs.widget(i).isAncestorOf(widget):
                    self.tabs.setCurrentIndex(i)
            widget.setFocus()
        elif field in ("family", "assessments", "photo"):
            self.tabs.setCurrentIndex({"family": 3, "assessments": 4, "photo": 5}[field])

    def _reload(self) -> None:
        """After someone else saved this cadre: the form shows what is stored now."""
        for table in (self.family_table, self.assessment_table):
            table.setRowCount(0)
        self._load()
        self.mark_clean()

    def _on_save_clicked(self) -> None:
        self.clear_errors()
        try:
            data = self.values()
        except AppError as exc:
            self.show_error(exc)
            return

        def save(s):
            if self.cadre_id is None:
                return cadre_editing.create_cadre(s, self.ctx.actor, data, today=self.ctx.today())
            return cadre_editing.update_cadre(s, self.ctx.actor, self.cadre_id, data, version=self._version,
                                   original=self._original, today=self.ctx.today())

        saved = ops.run(self, self.ctx, save, changes=(Change.CADRE,), on_error=self.show_error,
                        reload=self._reload if self.cadre_id is not None else None)
        if saved is ops.FAILED:
            return
        self.saved_id = saved.id
        self.accept()
