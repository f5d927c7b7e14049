"""应急预案 第五条(三): "对硬盘进行备份" is a button on the incident (backup.snapshot)."""

import pytest

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import make_user
from ggzy.backup import services as backup_services
from ggzy.backup.models import BackupRun
from ggzy.incidents import services
from ggzy.incidents.alerts import raise_alert
from ggzy.incidents.choices import IncidentType

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_playbook_backs_up_before_repair(center, backup_env):
    backup_services.initialize_repository()
    alert = raise_alert(
        source="backup", key="test", title="软件故障", incident_type=IncidentType.SOFTWARE, detail="x"
    )
    security = make_user(RoleKey.SECURITY_ADMIN)
    incident = services.alert_promote(alert=alert, actor=security)
    result = services.playbook_action_run(
        incident=incident, key="backup.snapshot", actor=security, reason="修复前备份硬盘数据", confirmed=True
    )
    # The backup starts once the action's transaction has committed (tests run tasks at once).
    run = BackupRun.objects.get()
    assert run.status == "succeeded", run.error
    assert run.tag == f"incident-{incident.pk}" and run.tag in result and run.started_by == security
