"""Machine use of the vault (credentials.registry): a credential released for one
registered use opens for it, audited; nothing else opens it without a person."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ggzy.audit.models import AuditEvent
from ggzy.credentials import crypto, registry, services
from ggzy.credentials.models import SecretVersion

from .factories import NEXT_SECRET, SECRET, client_for, make_credential, people, set_by_two

pytestmark = pytest.mark.django_db

USE = "tests.config_backup"


@pytest.fixture
def use():
    registry.register_system_use(USE, "测试：设备配置备份")
    yield USE
    registry._USES.pop(USE, None)


def test_a_released_credential_opens_for_its_use_and_each_use_is_audited(center, use):
    head, admin = people()
    credential = make_credential(admin, system_use=use)
    set_by_two(credential, admin, head)

    assert services.secret_for_system(credential=credential, purpose=use) == SECRET
    event = AuditEvent.objects.filter(action="credentials.secret.used_by_system").get()
    assert event.extra["purpose"] == use and event.object_id == str(credential.pk)
    assert SECRET not in str(event.extra) and SECRET not in str(event.after)

    set_by_two(credential, head, admin, NEXT_SECRET)  # rotated: the task gets the new one
    assert services.secret_for_system(credential=credential, purpose=use) == NEXT_SECRET


def test_nothing_else_opens_it(center, use):
    head, admin = people()
    people_only = make_credential(admin, name="数据库服务器")
    set_by_two(people_only, admin, head)
    released = make_credential(admin, name="核心交换机", system_use=use)

    refusals = [
        (people_only, use),  # not released for any machine use
        (released, use),  # released, but no password set yet
        (people_only, "tests.unknown"),  # an unregistered use
    ]
    for credential, purpose in refusals:
        with pytest.raises(PermissionDenied) as refused:
            services.secret_for_system(credential=credential, purpose=purpose)
        assert "refused" in str(refused.value)
    set_by_two(released, admin, head)
    services.leak_report(credential=released, actor=admin, note="配置文件外泄")
    with pytest.raises(PermissionDenied):  # a reported leak stops the task until the change
        services.secret_for_system(credential=released, purpose=use)
    assert AuditEvent.objects.filter(action="credentials.system_use.refused", outcome="failure").count() == 4
    assert not AuditEvent.objects.filter(action="credentials.secret.used_by_system").exists()


def test_altered_ciphertext_fails_loudly_and_is_audited(center, use):
    head, admin = people()
    credential = make_credential(admin, system_use=use)
    set_by_two(credential, admin, head)
    version = SecretVersion.objects.get(credential=credential)
    blob = bytearray(version.ciphertext)
    blob[-1] ^= 1
    SecretVersion.objects.filter(pk=version.pk).update(ciphertext=bytes(blob))
    with pytest.raises(crypto.VaultError):
        services.secret_for_system(credential=credential, purpose=use)
    assert AuditEvent.objects.filter(action="credentials.system_use.refused").count() == 1


def test_only_a_registered_use_can_be_chosen(center, use):
    _head, admin = people()
    with pytest.raises(ValidationError) as refused:
        make_credential(admin, system_use="tests.unknown")
    assert "system_use" in refused.value.message_dict

    # The admin form offers the registered uses and stores the choice.
    credential = make_credential(admin)
    client = client_for(admin)
    page = client.get(reverse("credentials:edit", args=[credential.pk])).content.decode()
    assert "测试：设备配置备份" in page
    data = {
        "name": credential.name,
        "kind": credential.kind,
        "target": credential.target,
        "username": credential.username,
        "department": credential.department_id,
        "rotation_months": credential.rotation_months,
        "system_use": use,
    }
    response = client.post(reverse("credentials:edit", args=[credential.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    credential.refresh_from_db()
    assert credential.system_use == use
    inspect = client.get(reverse("credentials:inspect", args=[credential.pk])).content.decode()
    assert "测试：设备配置备份" in inspect
    data["system_use"] = "tests.unknown"
    response = client.post(reverse("credentials:edit", args=[credential.pk]), data)
    assert response.status_code == 200  # the form shows the choice error; nothing stored
    credential.refresh_from_db()
    assert credential.system_use == use
