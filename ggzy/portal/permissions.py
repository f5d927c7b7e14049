from ggzy.core.permissions import RolePermissionPolicy


class ColumnPolicyPermissionPolicy(RolePermissionPolicy):
    """Policies exist one per column and are created with it: nobody adds or
    deletes them through the admin, only edits (网站管理制度 第九条); the
    网站管理员's setting, no superuser bypass (issue 14 item 4)."""

    def user_has_permission(self, user, action):
        if action in {"add", "delete"}:
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)
