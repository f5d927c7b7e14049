from django.core.management.base import BaseCommand, CommandError

from ggzy.accounts.models import User
from ggzy.accounts.services import user_unlock


class Command(BaseCommand):
    help = "解除账号（及可选的客户端地址）的登录锁定。系统管理员使用。"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--ip", help="同时解除该客户端地址的锁定")
        parser.add_argument("--actor", help="执行解锁的系统管理员的用户名（记入审计）")

    def handle(self, *args, username, ip=None, actor=None, **options):
        actor_user = None
        if actor:
            try:
                actor_user = User.objects.get_by_natural_key(actor)
            except User.DoesNotExist as exc:
                raise CommandError(f"用户 {actor} 不存在") from exc
        cleared = user_unlock(username=username, actor=actor_user, ip=ip)
        self.stdout.write(f"已解除 {username} 的锁定（清除 {cleared} 条失败记录）。")
