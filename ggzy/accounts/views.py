from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from .forms import RequiredPasswordChangeForm
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
            user=request.user,
            new_password=form.cleaned_data["new_password1"],
            keep_session_key=request.session.session_key,
            request=request,
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
