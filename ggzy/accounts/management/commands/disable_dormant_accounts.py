from django.core.management.base import BaseCommand

from ggzy.accounts.models import User
from ggzy.accounts.services import dormant_accounts_disable


class Command(BaseCommand):
    help = (
        "停用长期未使用的账号（网络安全管理办法 三(二)，默认 90 天）。可由 cron 或 systemd 定时器每日运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, help="未使用天数，默认取 DORMANT_ACCOUNT_DAYS")
        parser.add_argument("--dry-run", action="store_true", help="只列出，不停用")

    def handle(self, *args, days=None, dry_run=False, **options):
        users = dormant_accounts_disable(days=days, dry_run=dry_run)
        verb = "将停用" if dry_run else "已停用"
        for user in users:
            self.stdout.write(f"{verb}：{user.username}（最后登录：{user.last_login or '从未登录'}）")
        self.stdout.write(f"{verb} {len(users)} 个账号。")
        for admin in User.objects.filter(is_active=True, is_superuser=True):
            self.stdout.write(f"注意：超级管理员 {admin.username} 不自动停用，请人工核查。")
