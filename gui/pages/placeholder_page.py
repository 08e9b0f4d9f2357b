from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class PlaceholderPage(QWidget):
    """Shown for a page whose module is not available in this build."""

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        label = QLabel(self.tr("“%1”页面尚未提供。").replace("%1", title))
        label.setAlignment(Qt.AlignCenter)
        layout.addWidget(label)

    def refresh(self) -> None:
        pass
