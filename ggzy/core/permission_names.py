"""Django names its default permissions in English when it creates them ("Can add
group"), whatever the language; the group editor shows those names. After every
migrate they are renamed in the center's language (issue 20)."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

PREFIXES = {"add": "Can add ", "change": "Can change ", "delete": "Can delete ", "view": "Can view "}


def _actions() -> dict[str, str]:
    return {
        "add": _("可以添加%s"),
        "change": _("可以修改%s"),
        "delete": _("可以删除%s"),
        "view": _("可以查看%s"),
    }


def permissions_in_chinese(sender=None, using="default", **kwargs) -> int:
    """post_migrate: rename Django's default permissions; returns how many changed.

    Our receiver is connected before django.contrib.auth's, so the sender's
    permissions are created here first (create_permissions is idempotent)."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Permission

    apps = kwargs.get("apps")
    if apps is not None:
        try:  # as Django's own receiver: nothing to name when auth is not migrated (`migrate core`)
            apps.get_model("auth", "Permission")
            apps.get_model("contenttypes", "ContentType")
        except LookupError:
            return 0
    if sender is not None and apps is not None:
        create_permissions(sender, verbosity=0, using=using, apps=apps)
    changed = []
    with translation.override(settings.LANGUAGE_CODE):
        actions = _actions()
        for perm in (
            Permission.objects.using(using).filter(name__startswith="Can ").select_related("content_type")
        ):
            action = perm.codename.split("_", 1)[0]
            if action not in PREFIXES or not perm.name.startswith(PREFIXES[action]):
                continue
            model = perm.content_type.model_class()
            if model is None:
                continue
            perm.name = (actions[action] % model._meta.verbose_name)[:255]
            changed.append(perm)
    Permission.objects.using(using).bulk_update(changed, ["name"])
    return len(changed)
