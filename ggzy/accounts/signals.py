"""Last line of defence: any path that changes a user (admin, shell, another
app, createsuperuser) runs the same checks as the services (三权分立, a single
superuser); and the hooks into Django's login signals (expiry warning,
failures, lockouts)."""

import math

from axes.signals import user_locked_out
from django.contrib import messages
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import ValidationError
from django.db.models.signals import m2m_changed, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from . import events
from .lockout import normalized_username
from .middleware import session_started
from .models import User
from .network import client_ip
from .passwords import password_expired, password_expiry_warning
from .services import validate_role_combination


@receiver(m2m_changed, sender=User.groups.through)
def guard_separated_admin_roles(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action != "pre_add" or not pk_set:
        return
    if reverse:
        # group.user_set.add(user, ...): check each user against this group.
        for user in User.objects.filter(pk__in=pk_set).prefetch_related("groups"):
            validate_role_combination([*user.groups.all(), instance])
    else:
        validate_role_combination([*instance.groups.all(), *Group.objects.filter(pk__in=pk_set)])


@receiver(pre_save, sender=User)
def guard_single_superuser(sender, instance, raw=False, **kwargs):
    """Only the bootstrap 系统管理员 is a superuser: the flag is no way around
    三权分立 or least privilege (网络安全管理办法 三(三))."""
    if raw or not instance.is_superuser:
        return
    if User.objects.filter(is_superuser=True).exclude(pk=instance.pk).exists():
        raise ValidationError(_("只有初始系统管理员账号可以是超级用户，不能再设置其他超级用户。"))


@receiver(user_logged_in)
def warn_of_password_expiry(sender, request, user, **kwargs):
    """密码、口令管理制度 二(三): warn ahead of the maximum password age."""
    expires = password_expiry_warning(user)
    if expires is not None and request is not None and not password_expired(user):
        days = math.ceil((expires - timezone.now()).total_seconds() / 86400)
        messages.warning(
            request,
            _("您的密码将在 %(days)d 天后（%(date)s）到期，请尽快修改。")
            % {"days": days, "date": timezone.localtime(expires).strftime("%Y-%m-%d")},
            fail_silently=True,
        )


# --------------------------------------------------------------------------- login events


@receiver(user_logged_in)
def record_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        session_started(request)
    events.emit("accounts.login.succeeded", actor=user, obj=user, request=request, ip=_ip(request))


@receiver(user_login_failed)
def record_login_failure(sender, credentials, request=None, **kwargs):
    # Django has already replaced the password in ``credentials`` with stars.
    username = normalized_username(request, credentials) if request is not None else None
    events.emit(
        "accounts.login.failed", outcome="failure", request=request, username=username, ip=_ip(request)
    )


@receiver(user_locked_out)
def record_lockout(sender, request, username, ip_address, **kwargs):
    events.emit(
        "accounts.login.locked_out", outcome="failure", request=request, username=username, ip=ip_address
    )


def _ip(request):
    return client_ip(request) if request is not None else None
