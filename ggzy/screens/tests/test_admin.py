"""The screen register in the admin: the 机房管理员 keeps it (audited, Chinese errors),
the 网站管理员 reads the screens' state, and no field of it reaches a screen
(网络设备管理制度 第三、九条)."""

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.audit.models import AuditEvent
from ggzy.notices.tests.factories import at
from ggzy.screens.models import Screen
from ggzy.screens.registers import FIELDS, SCREENS

from .factories import form_data, keeper, register_screen, screen_data, screen_file

pytestmark = pytest.mark.django_db

INDEX = "/admin/screens/registers/screens/"


def test_the_machine_room_admin_registers_a_screen_audited_and_its_files_are_written(
    center, client, django_capture_on_commit_callbacks
):
    login_as(client, keeper())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(INDEX + "new/", form_data(show_notices=None))
    assert response.status_code == 302 and response["Location"] == INDEX
    screen = Screen.objects.get()
    assert screen.sections == ["openings", "publicity"] and len(screen.key) == 20
    event = AuditEvent.objects.get(action="screens.register.saved")
    assert event.after["name"] == "开标大厅一号屏" and event.after["offline_minutes"] == "5"
    assert set(screen_data(screen)["sections"]) == {"openings", "publicity"}
    assert screen_file(screen, "index.html").is_file()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(INDEX + f"{screen.pk}/", form_data(show_notices="on", scroll_speed="60"))
    event = AuditEvent.objects.filter(action="screens.register.saved").order_by("-pk").first()
    assert event.before == {"show_notices": "False", "scroll_speed": "40"}
    assert event.after == {"show_notices": "True", "scroll_speed": "60"}
    assert 'data-speed="60"' in screen_file(screen, "index.html").read_text()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"show_openings": None, "show_publicity": None, "show_notices": None}, "请至少选择一项显示内容"),
        ({"refresh_seconds": "300", "offline_minutes": "5"}, "离线阈值应至少为刷新间隔的两倍"),
        ({"refresh_seconds": "5"}, "10"),
    ],
)
def test_bad_settings_are_refused_in_chinese_and_nothing_is_saved(center, client, changes, message):
    login_as(client, keeper())
    response = client.post(INDEX + "new/", form_data(**changes))
    assert response.status_code == 200 and message in response.content.decode()
    assert (
        not Screen.objects.exists()
        and not AuditEvent.objects.filter(action="screens.register.saved").exists()
    )


def test_only_the_machine_room_admin_keeps_the_register(center, client):
    web = make_user(RoleKey.WEBSITE_ADMIN, department="xinxi")
    with pytest.raises(PermissionDenied):
        SCREENS.save(register=SCREENS["screens"], instance=None, data=form_data(), actor=web)
    screen = register_screen()
    login_as(client, web)
    assert client.get(INDEX).status_code == 200
    assert client.post(INDEX + f"{screen.pk}/", form_data(name="改名")).status_code == 403
    assert Screen.objects.get().name == "开标大厅一号屏"
    login_as(client, make_user(RoleKey.PUBLISHER, department="xinxi"))
    assert client.get(INDEX).status_code == 403


def test_nothing_typed_in_the_register_reaches_a_screen(center):
    """第九条: name and location are labels of the register, never shown on the screen;
    the register has no field for content."""
    screen = register_screen(name="屏幕甲乙丙丁", location="戊己庚辛位置")
    assert set(FIELDS) == {
        "name", "room", "location", "show_openings", "show_publicity", "show_notices",
        "scroll_speed", "refresh_seconds", "offline_minutes", "enabled",
    }  # fmt: skip
    from ggzy.screens.publish import screens_publish

    screens_publish()
    written = screen_file(screen, "index.html").read_text() + screen_file(screen, "data.json").read_text()
    assert "屏幕甲乙丙丁" not in written and "戊己庚辛位置" not in written
    with pytest.raises(ValidationError):
        SCREENS.save(register=SCREENS["screens"], instance=None, data=form_data(name=""), actor=keeper())


def test_the_list_shows_each_screens_state(center, client):
    with time_machine.travel(at("2026-12-04", "08:00"), tick=False):
        online = register_screen(name="一号屏")
        silent = register_screen(name="二号屏")
        register_screen(name="三号屏", enabled=None)
    Screen.objects.filter(pk=online.pk).update(last_seen_at=at("2026-12-04", "08:59"))
    Screen.objects.filter(pk=silent.pk).update(last_seen_at=at("2026-12-04", "08:30"))
    login_as(client, make_user(RoleKey.WEBSITE_ADMIN, department="xinxi"))
    with time_machine.travel(at("2026-12-04", "09:00"), tick=False):
        body = client.get(INDEX).content.decode()
    assert (
        'data-status="online"' in body
        and 'data-status="offline"' in body
        and 'data-status="disabled"' in body
    )
    assert "1 块电子屏离线" in body and "2026-12-04 08:59:00" in body
    assert online.url in body
    assert "修改</a>" not in body  # readers get no edit link
