from django_tasks import task

from .services import dormant_accounts_disable


@task()
def disable_dormant_accounts_task() -> int:
    """Periodic: disable accounts unused for the dormancy period (网络安全管理办法
    三(二); also `manage.py disable_dormant_accounts`)."""
    return len(dormant_accounts_disable())
