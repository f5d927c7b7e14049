"""Re-run the configuration audit on every device's latest running configuration:
``manage.py network_audit`` (after ``NETWORK_SYSLOG_COLLECTOR`` or a rule changed)."""

from django.core.management.base import BaseCommand

from ggzy.network import services
from ggzy.network.models import AuditResult


class Command(BaseCommand):
    help = (
        "Audit the latest running configuration of every active device (网络安全管理办法 二(六)、三、五、七)."
    )

    def handle(self, *args, **options):
        count = services.audit_all()
        failing = AuditResult.objects.filter(current=True, outcome="fail").select_related("device")
        for result in failing.order_by("device__name", "rule"):
            self.stdout.write(f"{result.device.name}: {result.rule} ({result.clause}): {result.detail}")
        self.stdout.write(f"{count} device(s) audited, {failing.count()} failed rule(s)")
