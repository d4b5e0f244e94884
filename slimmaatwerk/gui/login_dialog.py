"""The login screen: user name and password, checked against the argon2 hash by the service layer.

The dialog only collects input and shows the answer; ``login`` (``privacy_service.login`` bound to a
database and clock) decides. The same message for an unknown user and a wrong password.
"""

from __future__ import annotations

from collections.abc import Callable

from slimmaatwerk.errors import AccessDenied
from slimmaatwerk.gui.privacy_strings import text
from slimmaatwerk.gui.qt import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from slimmaatwerk.service import Service


class LoginDialog(QDialog):
    def __init__(self, login: Callable[[str, str], Service], parent: QWidget | None = None,
                 banner: str = "") -> None:
        super().__init__(parent)
        self._login = login
        self.service: Service | None = None
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel("")
        self.message.setStyleSheet("color: #a4262c;")
        self.banner = QLabel(banner)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #fff4ce; padding: 6px;")
        self.banner.setVisible(bool(banner))
        self.ok = QPushButton()
        self.cancel = QPushButton()
        self.ok.setDefault(True)
        self.ok.clicked.connect(self.attempt)
        self.cancel.clicked.connect(self.reject)
        self.form = QFormLayout()
        self.user_label, self.password_label = QLabel(), QLabel()
        self.form.addRow(self.user_label, self.user)
        self.form.addRow(self.password_label, self.password)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.ok)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.setMinimumWidth(380)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(text("login.title"))
        self.user_label.setText(text("login.user"))
        self.password_label.setText(text("login.password"))
        self.ok.setText(text("login.ok"))
        self.cancel.setText(text("login.cancel"))

    def attempt(self) -> None:
        name, secret = self.user.text().strip(), self.password.text()
        if not name or not secret:
            self.message.setText(text("login.empty"))
            return
        try:
            self.service = self._login(name, secret)
        except AccessDenied:
            self.password.clear()
            self.message.setText(text("login.failed"))
            return
        self.accept()
