from wagtail.permission_policies import ModelPermissionPolicy


class TamperCheckPermissionPolicy(ModelPermissionPolicy):
    """Tamper-check rows are evidence (网络信息安全故障应急预案 第六条): only the
    check writes them. In the admin they are viewed, never added, edited or
    deleted, by anybody, superusers included."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return super().users_with_any_permission([]).none()
        return super().users_with_any_permission(["view"])
