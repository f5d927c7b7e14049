from ggzy.core.permissions import RolePermissionPolicy


class TamperCheckPermissionPolicy(RolePermissionPolicy):
    """Tamper-check rows are evidence (网络信息安全故障应急预案 第六条): only the
    check writes them. In the admin they are viewed, never added, edited or
    deleted, by anybody, superusers included; viewed by the roles that hold
    the view permission, not by the superuser flag (issue 14 item 4)."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return super().users_with_any_permission([]).none()
        return super().users_with_any_permission(["view"])
