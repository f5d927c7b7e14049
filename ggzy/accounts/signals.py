"""Last line of defence: any path that changes a user (admin, shell, another
app, createsuperuser) runs the same checks as the services."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models.signals import m2m_changed, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from .models import User
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
