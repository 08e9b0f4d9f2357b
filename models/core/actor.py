"""Who is acting: every service call takes an Actor; roles are enforced here, not only by hiding buttons."""
from __future__ import annotations

from dataclasses import dataclass

from models.core.errors import PermissionDenied

ROLE_ADMIN, ROLE_OFFICER, ROLE_VIEWER = "admin", "officer", "viewer"
ROLE_LABELS = {ROLE_ADMIN: "管理员", ROLE_OFFICER: "经办人", ROLE_VIEWER: "查阅人"}

# permission → roles that hold it
PERMISSIONS: dict[str, frozenset[str]] = {
    "read": frozenset({ROLE_ADMIN, ROLE_OFFICER, ROLE_VIEWER}),
    "write": frozenset({ROLE_ADMIN, ROLE_OFFICER}),
    "see_id_number": frozenset({ROLE_ADMIN, ROLE_OFFICER}),
    "handle_accusations": frozenset({ROLE_ADMIN, ROLE_OFFICER}),  # reporter identity visible
    "export": frozenset({ROLE_ADMIN, ROLE_OFFICER}),
    "print": frozenset({ROLE_ADMIN, ROLE_OFFICER, ROLE_VIEWER}),
    "admin": frozenset({ROLE_ADMIN}),  # settings, users, withdrawn records, audit log, backup/restore
}

PERMISSION_LABELS = {
    "read": "查阅", "write": "录入和修改", "see_id_number": "查看完整身份证号", "handle_accusations": "办理举报",
    "export": "导出", "print": "打印", "admin": "系统管理",
}


@dataclass(frozen=True)
class Actor:
    username: str
    role: str
    display_name: str = ""

    def can(self, permission: str) -> bool:
        return self.role in PERMISSIONS.get(permission, frozenset())

    def require(self, permission: str) -> None:
        if not self.can(permission):
            raise PermissionDenied(
                f"当前账号（{ROLE_LABELS.get(self.role, self.role)}）没有“{PERMISSION_LABELS.get(permission, permission)}”的权限。"
                "如确需办理，请联系管理员调整角色。"
            )


# The command line runs as the administrator of the machine it runs on (design §4: for administrators).
CLI_ACTOR = Actor(username="cli", role=ROLE_ADMIN, display_name="命令行")
