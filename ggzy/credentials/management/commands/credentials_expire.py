from django.core.management.base import BaseCommand

from ggzy.credentials.services import change_expire_due


class Command(BaseCommand):
    help = "Expire unconfirmed credential changes past their deadline (密码、口令管理制度 一(一))."

    def handle(self, *args, **options):
        self.stdout.write(f"{change_expire_due()} pending change(s) expired")
