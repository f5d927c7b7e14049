"""Sign the current head of the audit chain (run periodically, e.g. hourly)."""

from django.core.management.base import BaseCommand

from ggzy.audit.services import checkpoint_create


class Command(BaseCommand):
    help = "对审计链当前链头生成 HMAC 签名检查点。"

    def handle(self, *args, **options):
        checkpoint = checkpoint_create()
        self.stdout.write(f"checkpoint at seq {checkpoint.seq}")
