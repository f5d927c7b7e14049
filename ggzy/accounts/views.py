from base64 import b32encode

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from .forms import OTPTokenForm, RequiredPasswordChangeForm
from .mfa import (
    MfaThrottled,
    mfa_confirm_enrolment,
    mfa_enrolled,
    mfa_pending_device,
    mfa_recovery_codes_regenerate,
    mfa_verify,
)
from .passwords import password_expired
from .services import user_change_own_password


@sensitive_post_parameters()
@never_cache
@login_required
def password_change(request):
    """Change one's own password; required at first login (密码、口令管理制度 二(一))."""
    form = RequiredPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user_change_own_password(
            actor=request.user,
            new_password=form.cleaned_data["new_password1"],
            keep_session_key=request.session.session_key,
        )
        update_session_auth_hash(request, request.user)
        messages.success(request, _("密码已修改。"))
        return redirect("wagtailadmin_home")
    return render(
        request,
        "accounts/password_change.html",
        {
            "form": form,
            "forced": request.user.must_change_password,
            "expired": password_expired(request.user),
        },
    )


def _qr_svg(data: str) -> str:
    """The provisioning URI as an inline SVG QR code: drawn here, no outside service."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


@sensitive_post_parameters()
@never_cache
@login_required
def mfa_setup(request):
    """Enrol an authenticator app (网络安全管理办法 七, 等保三级 双因素身份鉴别)."""
    if mfa_enrolled(request.user) and not request.user.is_verified():
        return redirect("accounts_mfa_verify")
    if mfa_enrolled(request.user):
        return redirect("wagtailadmin_home")
    device = mfa_pending_device(request.user)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = mfa_confirm_enrolment(
                actor=request.user, token=form.cleaned_data["token"], request=request
            )
        except MfaThrottled as exc:
            form.add_error("token", throttled_message(exc))
        else:
            if codes is not None:
                return render(request, "accounts/mfa_recovery_codes.html", {"codes": codes})
            form.add_error("token", _("验证码不正确，请确认手机时间准确后重新输入。"))
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/mfa_setup.html",
        {"form": form, "qr_svg": mark_safe(_qr_svg(device.config_url)), "secret": secret},  # noqa: S308
    )


def throttled_message(exc: MfaThrottled) -> str:
    return _("验证码错误次数过多，请 %(seconds)d 秒后再输入（期间输入的验证码都不会被接受）。") % {
        "seconds": exc.wait_seconds
    }


@sensitive_post_parameters()
@never_cache
@login_required
def mfa_verify_view(request):
    """Second login step: a code from the authenticator app, or a recovery code."""
    if not mfa_enrolled(request.user):
        return redirect("accounts_mfa_setup")
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            verified = mfa_verify(actor=request.user, token=form.cleaned_data["token"], request=request)
        except MfaThrottled as exc:
            form.add_error("token", throttled_message(exc))
        else:
            if verified:
                target = request.GET.get("next", "")
                if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
                    target = reverse("wagtailadmin_home")
                return redirect(target)
            form.add_error("token", _("验证码不正确或已使用过。"))
    return render(request, "accounts/mfa_verify.html", {"form": form})


@never_cache
@login_required
def mfa_recovery_codes(request):
    """Replace the recovery codes (e.g. after using several); shown once."""
    if not mfa_enrolled(request.user):
        return redirect("accounts_mfa_setup")
    if request.method == "POST":
        # The two-factor gate guarantees a verified session here.
        codes = mfa_recovery_codes_regenerate(actor=request.user)
        return render(request, "accounts/mfa_recovery_codes.html", {"codes": codes, "regenerated": True})
    return render(request, "accounts/mfa_recovery_codes_confirm.html")
