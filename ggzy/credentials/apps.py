from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    """The privileged credential vault (密码、口令管理制度 一): sealed server and
    device passwords, set by two people, revealed to holders only, rotated on schedule."""

    name = "ggzy.credentials"
    label = "credentials"
    verbose_name = _("特权口令")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The audit action catalogue; the compliance checks of 密码、口令管理制度 一(三)(四);
        # the departures handover source (人员离岗离职 第二、三条).
        from wagtail.permissions import register_permission_policy

        from . import audit_actions, checks, handover  # noqa: F401
        from .models import Credential
        from .permissions import CredentialPermissionPolicy

        # By role, department and holder list; the superuser flag grants nothing here.
        register_permission_policy(Credential, CredentialPermissionPolicy(Credential))
