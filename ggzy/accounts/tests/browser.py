"""Logging in through the real login and two-factor pages, in Chromium."""

import re
import time

from playwright.sync_api import expect

from ggzy.accounts.tests.factories import DEFAULT_PASSWORD


def totp_device(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="ggzy-totp", confirmed=True
    )


def totp_code(device, offset_steps: int = 0) -> str:
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():06d}"


def secret_code(secret: str, offset_steps: int = 0) -> str:
    """The code a phone shows for the base32 secret printed on the setup page."""
    from base64 import b32decode

    from django_otp.oath import TOTP

    totp = TOTP(b32decode(secret))
    totp.time = time.time() + offset_steps * totp.step
    return f"{totp.token():06d}"


def submit_login(page, username: str, password: str = DEFAULT_PASSWORD) -> None:
    """Fill in and submit the login form the page shows."""
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form.login-form button[type=submit]").click()


def browser_login(page, live_server, user, password: str = DEFAULT_PASSWORD) -> None:
    """Password, then (for roles that need it) a TOTP code from an enrolled device."""
    device = totp_device(user)
    page.context.clear_cookies()
    page.goto(live_server.url + "/admin/login/")
    submit_login(page, user.username, password)
    page.wait_for_url(re.compile(r"/admin/($|mfa/verify/)"))
    if "/mfa/verify/" in page.url:
        device.refresh_from_db()
        # A code is accepted once; the next step's code is within the tolerance.
        page.locator("#id_token").fill(totp_code(device, 1 if device.last_t >= 0 else 0))
        page.get_by_role("button", name="验证").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def open_settings_item(page, label: str) -> None:
    """Sidebar: 设置 → ``label`` (the account pages live in the settings menu)."""
    page.locator("nav[aria-label]").get_by_role("button", name="设置").click()
    page.get_by_role("link", name=label, exact=True).click()


def record_csp_violations(page) -> list[str]:
    """Collect every Content-Security-Policy violation the page reports (its
    ``securitypolicyviolation`` events and Chromium's console errors); the list
    fills as the page is used. Issue 14 item 13: the admin must work under its CSP."""
    violations: list[str] = []
    page.expose_function("__ggzyCspViolation", lambda text: violations.append(text))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => window.__ggzyCspViolation("
        "e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline')"
        " + ' at ' + e.sourceFile + ':' + e.lineNumber"
        "));"
    )
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return violations
