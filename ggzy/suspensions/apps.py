from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuspensionsConfig(AppConfig):
    """Service suspension notices (暂停交易服务通知, 网络安全管理办法 二(十一)).

    Kept apart from ``sitebuild`` (which the architecture names as their home)
    so that static rendering has no models of the portal's content: this app
    owns the notices and asks sitebuild to re-render the home page.
    """

    name = "ggzy.suspensions"
    label = "suspensions"
    verbose_name = _("暂停交易服务通知")

    def ready(self) -> None:
        # The audit action catalogue; the compliance check of 网络安全管理办法 二(十一).
        from . import audit_actions, checks  # noqa: F401
