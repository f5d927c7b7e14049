"""System checks of the upload gate's configuration (``manage.py check``)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security)
def malware_scanner_configured(app_configs=None, **kwargs):
    """应急预案 第四条: a gate that must scan but has no scanner would refuse every upload;
    production without scanning lets viruses in."""
    problems = []
    if settings.MALWARE_SCAN != "off" and not settings.CLAMD_ADDRESS:
        problems.append(
            Error(
                f"MALWARE_SCAN is {settings.MALWARE_SCAN} but CLAMD_ADDRESS is not set.",
                hint="Set CLAMD_ADDRESS, e.g. tcp://127.0.0.1:3310 (docs/vulns.md).",
                id="ggzy.E101",
            )
        )
    if settings.GGZY_ENV == "production" and settings.MALWARE_SCAN == "off":
        problems.append(
            Warning(
                "MALWARE_SCAN is off in production: uploads are not scanned for viruses.",
                hint="Run clamav-daemon and set CLAMD_ADDRESS (docs/vulns.md).",
                id="ggzy.W101",
            )
        )
    return problems
