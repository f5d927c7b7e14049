"""Where events come from without a ggzy service to call ``record()``:
Django's auth signals, Wagtail's page log, and group/permission changes made
by any path (admin, shell, another app). Each receiver records synchronously,
inside the transaction of the change (网络安全管理办法 五(二))."""

import re

from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.models import GroupPagePermission, ModelLogEntry, PageLogEntry

from ggzy.accounts.events import security_event
from ggzy.accounts.models import User

from .choices import Outcome
from .services import record

# --------------------------------------------------------------------------- sign-in


@receiver(user_logged_in, dispatch_uid="ggzy_audit_login")
def on_login(sender, request, user, **kwargs):
    record(action="accounts.login.succeeded", actor=user, obj=user, request=request)


@receiver(user_login_failed, dispatch_uid="ggzy_audit_login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    # Only the user name: Django has already masked the password, and we drop the rest.
    username = str(credentials.get("username", ""))[:150]
    record(
        action="accounts.login.failed",
        outcome=Outcome.FAILURE,
        actor_username=username,
        object_type="accounts.user",
        object_repr=username,
        request=request,
    )


@receiver(user_logged_out, dispatch_uid="ggzy_audit_logout")
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record(action="accounts.logout.succeeded", actor=user, obj=user, request=request)


# --------------------------------------------------------------------------- groups and permissions


def _group_names(user: User) -> list[str]:
    return sorted(user.groups.values_list("name", flat=True))


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="ggzy_audit_group_membership")
def on_group_membership(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Every change of a user's groups (roles), whatever path made it."""
    if action.startswith("pre_"):
        if not reverse:
            users = [instance]
        elif action == "pre_clear":
            users = list(instance.user_set.all())
        else:
            users = list(User.objects.filter(pk__in=pk_set or ()))
        instance._ggzy_audit_before = {user.pk: (user, _group_names(user)) for user in users}
        return
    for user, before in getattr(instance, "_ggzy_audit_before", {}).values():
        after = _group_names(user)
        if before != after:
            record(
                action="accounts.group.changed", obj=user, before={"groups": before}, after={"groups": after}
            )
    instance._ggzy_audit_before = {}


@receiver(m2m_changed, sender=Group.permissions.through, dispatch_uid="ggzy_audit_group_permissions")
def on_group_permissions(sender, instance, action, reverse, model, pk_set, **kwargs):
    if reverse or action not in {"post_add", "post_remove", "post_clear"}:
        return
    from django.contrib.auth.models import Permission

    changed = sorted(
        f"{app}.{code}"
        for app, code in Permission.objects.filter(pk__in=pk_set or ()).values_list(
            "content_type__app_label", "codename"
        )
    )
    record(action="accounts.group.permissions_changed", obj=instance, change=action[5:], permissions=changed)


@receiver(post_save, sender=Group, dispatch_uid="ggzy_audit_group_saved")
def on_group_saved(sender, instance, created, raw=False, **kwargs):
    if not raw:
        record(action="accounts.group.created" if created else "accounts.group.updated", obj=instance)


@receiver(post_delete, sender=Group, dispatch_uid="ggzy_audit_group_deleted")
def on_group_deleted(sender, instance, **kwargs):
    record(action="accounts.group.deleted", obj=instance)


@receiver(post_save, sender=GroupPagePermission, dispatch_uid="ggzy_audit_page_perm_added")
def on_page_permission_saved(sender, instance, created, **kwargs):
    record(
        action="accounts.group.page_permission_added"
        if created
        else "accounts.group.page_permission_changed",
        obj=instance.group,
        page=instance.page_id,
        permission=instance.permission.codename if instance.permission_id else "",
    )


@receiver(post_delete, sender=GroupPagePermission, dispatch_uid="ggzy_audit_page_perm_removed")
def on_page_permission_deleted(sender, instance, **kwargs):
    record(
        action="accounts.group.page_permission_removed",
        obj=instance.group,
        page=instance.page_id,
        permission=instance.permission.codename if instance.permission_id else "",
    )


# --------------------------------------------------------------------------- pages and workflows

_PAST = {
    "create": "created",
    "edit": "edited",
    "delete": "deleted",
    "publish": "published",
    "unpublish": "unpublished",
    "lock": "locked",
    "unlock": "unlocked",
    "move": "moved",
    "reorder": "reordered",
    "copy": "copied",
    "revert": "reverted",
    "rename": "renamed",
    "start": "started",
    "approve": "approved",
    "reject": "rejected",
    "resume": "resumed",
    "cancel": "cancelled",
}


def page_action_name(wagtail_action: str) -> str:
    """``wagtail.publish`` → ``publishing.page.published``;
    ``wagtail.workflow.approve`` → ``publishing.workflow.approved``."""
    parts = wagtail_action.split(".")
    if parts and parts[0] == "wagtail":
        parts = parts[1:]
    obj = "page"
    if parts and parts[0] == "workflow":
        obj, parts = "workflow", parts[1:]
    verb = "_".join(_PAST.get(p, p) for p in parts) or "changed"
    return f"publishing.{obj}.{re.sub(r'[^a-z0-9_]', '_', verb.lower())}"


@receiver(post_save, sender=PageLogEntry, dispatch_uid="ggzy_audit_page_log")
def on_page_log_entry(sender, instance, created, **kwargs):
    """Wagtail logs every page and workflow action in the action's own
    transaction; we chain the same fact into the audit log there too."""
    if not created:
        return
    record(
        action=page_action_name(instance.action),
        actor=instance.user,
        object_type="wagtailcore.page",
        object_id=str(instance.page_id),
        object_repr=instance.label,
        wagtail_action=instance.action,
        revision=instance.revision_id,
        data=instance.data or {},
    )


# Identity's security events (MFA, password changes and resets, lockouts,
# unlocks, departures) arrive through the accounts seam. Logins and login
# failures are recorded above from Django's own signals, so not twice.
_RECORDED_FROM_AUTH_SIGNALS = {"accounts.login.succeeded", "accounts.login.failed"}


@receiver(security_event, dispatch_uid="ggzy_audit_security_event")
def on_security_event(sender, action, actor, obj, outcome, request, data, **kwargs):
    if action in _RECORDED_FROM_AUTH_SIGNALS:
        return
    record(action=action, actor=actor, obj=obj, outcome=outcome, request=request, **data)


# Settings and policy changes made in the admin (column policies, the holiday
# calendar, the lexicon, the password policy, workflows and their steps, API
# tokens, …): Wagtail logs every create/edit/delete of a registered model in the
# view's transaction; chain the same fact here. Users and groups are recorded
# with before/after by the accounts views and the receivers above.
_MODEL_VERBS = {"wagtail.create": "created", "wagtail.edit": "updated", "wagtail.delete": "deleted"}
# Users and groups: recorded with before/after by the accounts services and the
# receivers above. Every other model of accounts (the password policy, departments,
# roles) is chained from Wagtail's log like any other (the audit sweep found the
# password policy's changes unrecorded when the whole app was skipped).
_RECORDED_ELSEWHERE = {("accounts", "user"), ("auth", "group")}
# Models whose services record richer events (before/after) themselves.
_MODELS_RECORDED_BY_SERVICES = {("portal", "columnpolicy")}


def model_action_name(app_label: str, model: str, wagtail_action: str) -> str:
    """``("core", "holiday", "wagtail.edit")`` → ``core.holiday.updated``;
    other Wagtail actions keep their last word (``wagtail.publish`` → ``….publish``)."""
    verb = _MODEL_VERBS.get(wagtail_action) or re.sub(
        r"[^a-z0-9_]", "_", wagtail_action.split(".")[-1].lower()
    )
    return f"{re.sub(r'[^a-z0-9_]', '_', app_label)}.{model}.{verb}"


@receiver(post_save, sender=ModelLogEntry, dispatch_uid="ggzy_audit_model_log")
def on_model_log_entry(sender, instance, created, **kwargs):
    if not created or instance.content_type is None:
        return
    app_label, model = instance.content_type.app_label, instance.content_type.model
    if (app_label, model) in _RECORDED_ELSEWHERE | _MODELS_RECORDED_BY_SERVICES:
        return
    if (app_label, model) in _FILE_MODELS and instance.action in _FILE_VERBS_FROM_SIGNALS:
        return  # recorded from the model's own signals, below
    record(
        action=model_action_name(app_label, model, instance.action),
        actor=instance.user,
        object_type=f"{app_label}.{model}",
        object_id=str(instance.object_id),
        object_repr=instance.label,
        wagtail_action=instance.action,
        data=instance.data or {},
    )


# Images and documents: Wagtail's multiple-upload views add and delete them
# without a log entry (the audit sweep found both), so their creation and
# deletion are recorded from the models' own signals, whichever view or path
# did it; edits still come through Wagtail's log above.
_FILE_MODELS = {("wagtailimages", "image"), ("wagtaildocs", "document")}
_FILE_VERBS_FROM_SIGNALS = {"wagtail.create", "wagtail.delete"}


def _is_image(sender) -> bool:
    return sender._meta.app_label == "wagtailimages"


def _file_model(sender) -> bool:
    return (sender._meta.app_label, sender._meta.model_name) in _FILE_MODELS


@receiver(post_save, dispatch_uid="ggzy_audit_file_created")
def on_file_created(sender, instance, created, raw=False, **kwargs):
    if not created or raw or not _file_model(sender):
        return
    record(
        action="wagtailimages.image.created" if _is_image(sender) else "wagtaildocs.document.created",
        obj=instance,
        title=instance.title,
        file=instance.file.name,
    )


@receiver(post_delete, dispatch_uid="ggzy_audit_file_deleted")
def on_file_deleted(sender, instance, **kwargs):
    if not _file_model(sender):
        return
    record(
        action="wagtailimages.image.deleted" if _is_image(sender) else "wagtaildocs.document.deleted",
        obj=instance,
        title=instance.title,
        file=instance.file.name,
    )
