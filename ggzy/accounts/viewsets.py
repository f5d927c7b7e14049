from django.db import transaction
from wagtail.users.views.users import CreateView, DeleteView, EditView
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from ggzy.audit import services as audit

from .forms import GgzyUserCreationForm, GgzyUserEditForm
from .services import user_audit_snapshot

# 网络安全管理办法 五(二): account changes in the admin are recorded with before/after.
# Wagtail's views do the write through their own action classes; we record in the
# same transaction around it. Group changes are recorded by ggzy.audit.receivers.


class UserCreateView(CreateView):
    def save_instance(self):
        with transaction.atomic():
            user = super().save_instance()
            audit.record(
                action="accounts.user.created",
                actor=self.request.user,
                obj=user,
                after=user_audit_snapshot(user),
                password_set=True,
            )
        return user


class UserEditView(EditView):
    def save_instance(self):
        with transaction.atomic():
            before = user_audit_snapshot(type(self.object).objects.get(pk=self.object.pk))
            user = super().save_instance()
            after = user_audit_snapshot(user)
            changed = sorted(k for k in after if before[k] != after[k])
            audit.record(
                action="accounts.user.updated",
                actor=self.request.user,
                obj=user,
                before={k: before[k] for k in changed},
                after={k: after[k] for k in changed},
                password_set="password1" in self.form.changed_data
                and bool(self.form.cleaned_data.get("password1")),
            )
        return user


class UserDeleteView(DeleteView):
    def delete_action(self):
        with transaction.atomic():
            snapshot = user_audit_snapshot(self.object)
            audit.record(
                action="accounts.user.deleted", actor=self.request.user, obj=self.object, before=snapshot
            )
            return super().delete_action()


class UserViewSet(WagtailUserViewSet):
    add_view_class = UserCreateView
    edit_view_class = UserEditView
    delete_view_class = UserDeleteView

    def get_form_class(self, for_update=False):
        return GgzyUserEditForm if for_update else GgzyUserCreationForm
