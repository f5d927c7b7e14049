"""Registers: the lists a regulation tells the center to keep (应急预案's contacts roster
and reserve equipment, 机房's keys and fire extinguishers, the machines that process
confidential data…). Each module declares its registers in one table; this module
gives them one form per register (a model form with the field's Chinese errors), one
writing service (audited in the same transaction with only the changed fields before
and after) and one pair of screens (list, new/edit), so every register behaves alike.

    FACILITY = RegisterSet(
        app="facility", path="facility/registers", audit_action="facility.register.saved",
        may_see=rules.may_see_rooms, may_keep=lambda user, register, row: …,
        registers=(Register("keys", Key, fields, label, clause, columns), …),
    )
    urlpatterns += FACILITY.urls()   # in wagtail_hooks: <app>_register_<key>[_new|_edit]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _

from ggzy.audit import services as audit
from ggzy.core.validators import ControlCharacterFormMixin

__all__ = ["Register", "RegisterForm", "RegisterSet", "display", "record_rows"]


class RegisterForm(ControlCharacterFormMixin, forms.ModelForm):
    pass


@dataclass(frozen=True)
class Register:
    key: str
    model: type[models.Model]
    fields: tuple[str, ...]
    label: object
    clause: object
    columns: tuple[str, ...]
    related: tuple[str, ...] = ()  # select_related for the columns (no query per row)
    base_form: type[forms.ModelForm] | None = None
    # Called in the saving transaction, ``before_save(row=, actor=, created=)`` on the
    # unsaved row (e.g. its author), ``after_save`` on the saved one (e.g. a key
    # handover moves the key to its new holder); either may raise ValidationError.
    before_save: Callable[..., None] | None = None
    after_save: Callable[..., None] | None = None

    def form_class(self) -> type[forms.ModelForm]:
        widgets = {
            name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for name in self.fields
            if isinstance(self.model._meta.get_field(name), models.DateField)
            and not isinstance(self.model._meta.get_field(name), models.DateTimeField)
        }
        return forms.modelform_factory(
            self.model, form=self.base_form or RegisterForm, fields=self.fields, widgets=widgets
        )


def display(row, name: str) -> str:
    """One field of a register row as the screens and the PDFs show it."""
    shown = getattr(row, f"get_{name}_display", None)
    value = shown() if shown else getattr(row, name)
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return "—" if value in (None, "") else str(value)


def record_rows(register: Register, row) -> list[tuple[str, str]]:
    return [(str(register.model._meta.get_field(n).verbose_name), display(row, n)) for n in register.fields]


def _values(instance, fields) -> dict:
    out = {}
    for name in fields:
        if instance._meta.get_field(name).many_to_many:
            # The related rows by name (a manager's str() says nothing).
            related = getattr(instance, name).all() if instance.pk else ()
            out[name] = ", ".join(sorted(str(o) for o in related))
            continue
        value = getattr(instance, name)
        out[name] = str(value if value is not None else "")
    return out


@dataclass
class RegisterSet:
    app: str  # URL names <app>_register_<key>, <app>_register_<key>_new, <app>_register_<key>_edit
    path: str  # URL path under /admin/
    audit_action: str
    may_see: Callable[[object], bool]
    may_keep: Callable[[object, Register, models.Model | None], bool]  # (user, register, row or None)
    refusal: object  # why a user may not keep the register (Chinese)
    registers: Iterable[Register] = ()
    by_key: dict[str, Register] = field(init=False)

    def __post_init__(self):
        self.by_key = {r.key: r for r in self.registers}

    def __getitem__(self, key: str) -> Register:
        return self.by_key[key]

    def __iter__(self):
        return iter(self.by_key.values())

    def url_name(self, register: Register, suffix: str = "") -> str:
        return f"{self.app}_register_{register.key}{suffix}"

    # -- writing

    def save(self, *, register: Register, instance: models.Model | None, data, actor) -> models.Model:
        """Create or change one row; the form's errors as ValidationError (by field)."""
        if not self.may_keep(actor, register, instance):
            raise PermissionDenied(str(self.refusal))
        # Read before validating: the model form writes the posted values onto the instance.
        before = _values(instance, register.fields) if instance is not None else None
        form = register.form_class()(data, instance=instance)
        if not form.is_valid():
            raise ValidationError(form.errors)
        if not self.may_keep(actor, register, form.instance):
            raise PermissionDenied(str(self.refusal))  # e.g. moved to a room the actor does not keep
        with transaction.atomic():
            row = form.save(commit=False)
            if register.before_save is not None:
                register.before_save(row=row, actor=actor, created=before is None)
            row.save()
            form.save_m2m()
            if register.after_save is not None:
                register.after_save(row=row, actor=actor, created=before is None)
            after = _values(row, register.fields)
            audit.record(
                action=self.audit_action,
                actor=actor,
                obj=row,
                register=register.key,
                before={k: v for k, v in (before or {}).items() if after.get(k) != v} if before else None,
                after={k: v for k, v in after.items() if not before or before.get(k) != v},
            )
        return row

    # -- screens

    def _forbidden(self, request, message) -> TemplateResponse:
        return TemplateResponse(
            request,
            "compliance/register_forbidden.html",
            {"page_title": _("无权访问"), "header_icon": "warning", "message": message},
            status=403,
        )

    def index_view(self, request, key: str):
        register = self.by_key[key]
        if not self.may_see(request.user):
            return self._forbidden(request, _("您无权查看此登记表。"))
        meta = register.model._meta
        rows = [
            (row, [display(row, name) for name in register.columns])
            for row in register.model.objects.select_related(*register.related)[:500]
        ]
        return TemplateResponse(
            request,
            "compliance/register.html",
            {
                "page_title": register.label,
                "header_icon": "list-ul",
                "register": register,
                "headers": [meta.get_field(name).verbose_name for name in register.columns],
                "rows": rows,
                "can_keep": self.may_keep(request.user, register, None),
                "others": [(r, self.url_name(r)) for r in self],
                "new_url": self.url_name(register, "_new"),
                "edit_url": self.url_name(register, "_edit"),
            },
        )

    def edit_view(self, request, key: str, pk: int | None = None, *, after: Callable | None = None):
        """``after(request, register, row)``: what the module does once a row is saved
        (e.g. submit it as evidence), outside the saving transaction."""
        register = self.by_key[key]
        instance = get_object_or_404(register.model, pk=pk) if pk else None
        if not self.may_keep(request.user, register, instance):
            return self._forbidden(request, self.refusal)
        form = register.form_class()(instance=instance)
        if request.method == "POST":
            try:
                row = self.save(register=register, instance=instance, data=request.POST, actor=request.user)
            except ValidationError as exc:
                form = register.form_class()(request.POST, instance=instance)
                form.is_valid()
                if not hasattr(exc, "error_dict"):
                    form.add_error(None, exc.messages)
            except PermissionDenied as exc:
                return self._forbidden(request, str(exc))
            else:
                messages.success(request, _("已保存。"))
                if after is not None:
                    after(request, register, row)
                return redirect(self.url_name(register))
        return TemplateResponse(
            request,
            "core/admin_form.html",
            {
                "form": form,
                "submit": _("保存"),
                "intro": register.clause,
                "header_title": register.label,
                "page_title": register.label,
            },
        )

    def urls(self, *, index=None, edit=None) -> list:
        """The three URLs of every register (``index``/``edit``: the module's wrappers
        of ``index_view``/``edit_view``, when it adds something)."""
        index = index or self.index_view
        edit = edit or self.edit_view
        routes = []
        for register in self:
            base = f"{self.path}/{register.key}/"
            routes += [
                path(base, index, {"key": register.key}, name=self.url_name(register)),
                path(base + "new/", edit, {"key": register.key}, name=self.url_name(register, "_new")),
                path(base + "<int:pk>/", edit, {"key": register.key}, name=self.url_name(register, "_edit")),
            ]
        return routes
