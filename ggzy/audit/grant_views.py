"""The 安全管理员's decision on a read grant and its revocation, as a screen's POST — shared by the audit
log's grants and the device logs' (``ggzy.devicelogs``), 网络安全管理办法 五(五)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .forms import GrantDecisionForm


def decide_from_post(request, *, grant, decide: Callable, back: str, refuse: Callable):
    """Read the decision form, call the module's ``decide`` service; a refusal goes to
    the module's ``refuse(message)`` (its recorded 403 page), anything else back to
    the ``back`` screen with one message. The caller has checked the role first: an
    empty decision from someone who may not decide is a refusal, not a form error."""
    form = GrantDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择批准或驳回。"))
        return redirect(back)
    try:
        decide(
            grant=grant,
            actor=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        )
    except PermissionDenied as exc:
        return refuse(str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已处理。"))
    return redirect(back)


def revoke_from_post(request, *, grant, revoke: Callable, back: str, refuse: Callable):
    """Call the module's ``revoke`` service; a refusal goes to ``refuse(message)``, a
    grant that is not approved (already over) back to ``back`` with the reason."""
    try:
        revoke(grant=grant, actor=request.user)
    except PermissionDenied as exc:
        return refuse(str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("授权已撤销。"))
    return redirect(back)
