"""The database lexicon: starter entries, compiled once, recompiled on change,
maintained by the 网站管理员 only."""

import pytest
from django.urls import reverse

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.screening import services
from ggzy.screening.models import LexiconEntry

pytestmark = pytest.mark.django_db


def test_starter_lexicon_is_shipped_and_blocks():
    assert LexiconEntry.objects.filter(category="gambling", term="网络赌博", active=True).exists()
    (finding,) = services.screen("本站严禁 网络 赌博 广告")
    assert (finding.rule, finding.severity) == ("lexicon.gambling", "block")


def test_lexicon_is_compiled_once_and_recompiled_after_a_change():
    first = services.active_lexicon()
    assert services.active_lexicon() is first
    LexiconEntry.objects.create(category="rumour", term="惊天内幕", severity="warn")
    second = services.active_lexicon()
    assert second is not first
    (finding,) = services.screen("某某惊天内幕")
    assert (finding.rule, finding.severity) == ("lexicon.rumour", "warn")


def test_changes_made_by_another_process_are_noticed():
    services.active_lexicon()
    # bulk_create sends no signals: as if another gunicorn worker had added it.
    LexiconEntry.objects.bulk_create([LexiconEntry(category="rumour", term="惊天内幕")])
    assert [f.rule for f in services.screen("惊天内幕")] == ["lexicon.rumour"]


def test_inactive_and_deleted_entries_do_not_match():
    entry = LexiconEntry.objects.create(category="rumour", term="惊天内幕")
    entry.active = False
    entry.save()
    assert services.screen("惊天内幕") == []
    entry.active = True
    entry.save()
    assert services.screen("惊天内幕") != []
    entry.delete()
    assert services.screen("惊天内幕") == []


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("screening_lexicon:index"))
    assert response.status_code == 302 and "/admin/login/" in response.url


@pytest.mark.parametrize("role", [RoleKey.DRAFTER, RoleKey.PUBLISHER, RoleKey.SYSTEM_ADMIN])
def test_other_roles_cannot_edit_the_lexicon(client, role):
    login_as(client, make_user(role))
    assert client.get(reverse("screening_lexicon:index")).status_code in (302, 403)
    response = client.post(reverse("screening_lexicon:add"), {"category": "rumour", "term": "某词"})
    assert response.status_code in (302, 403)
    assert not LexiconEntry.objects.filter(term="某词").exists()


def test_website_admin_adds_a_term_and_it_is_screened_at_once(client):
    login_as(client, make_user(RoleKey.WEBSITE_ADMIN))
    assert client.get(reverse("screening_lexicon:index")).status_code == 200
    services.active_lexicon()  # compiled before the edit
    response = client.post(
        reverse("screening_lexicon:add"),
        {"category": "rumour", "term": "某某谣言", "severity": "block", "active": "on", "note": ""},
    )
    assert response.status_code == 302
    assert [f.rule for f in services.screen("转发某某谣言")] == ["lexicon.rumour"]


def test_lexicon_file_lines(tmp_path):
    path = tmp_path / "extra.tsv"
    path.write_text("# comment\n\ngambling\t赌球\nrumour\t谣传\twarn\n", encoding="utf-8")
    terms = services.lexicon_terms_from_file(path)
    assert [(t.category, t.term, t.severity) for t in terms] == [
        ("gambling", "赌球", "block"),
        ("rumour", "谣传", "warn"),
    ]


@pytest.mark.parametrize(
    ("content", "line"),
    [("gambling\t赌球\nno tab here\n", 2), ("gambling\t\n", 1), ("a b\t词\n", 1), ("x\t词\tfatal\n", 1)],
)
def test_bad_lexicon_file_lines_name_the_line(tmp_path, content, line):
    path = tmp_path / "bad.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(services.LexiconFileError) as excinfo:
        services.lexicon_terms_from_file(path)
    assert excinfo.value.line == line
