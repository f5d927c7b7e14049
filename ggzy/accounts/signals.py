"""Last line of defence for 三权分立: any path that adds a group to a user
(admin, shell, another app) runs the same check as the services."""

from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

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
