"""The move out of accounts keeps permissions: departures 0002 renames the
content types in place (and merges them if post_migrate already made new ones).
The schema side (state-only moves, table rename) is proven by `migrate` from
zero and from a populated pre-move database, on SQLite and PostgreSQL."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.models import User
from ggzy.accounts.tests.factories import make_user

move = importlib.import_module("ggzy.departures.migrations.0002_content_types")

pytestmark = pytest.mark.django_db


class _Editor:
    connection = connection


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)  # has_perm caches per instance


def test_content_types_are_renamed_in_place_and_groups_keep_their_permissions():
    # The database as it was before the move: the models' content types under accounts.
    ContentType.objects.filter(app_label="departures").update(app_label="accounts")
    ContentType.objects.clear_cache()
    old = ContentType.objects.get(app_label="accounts", model="departure")
    group = Group.objects.create(name="离岗离职查看")
    group.permissions.add(Permission.objects.get(content_type=old, codename="view_departure"))
    user = make_user(RoleKey.DRAFTER)
    user.groups.add(group)
    assert _fresh(user).has_perm("accounts.view_departure")

    move.forwards(apps, _Editor())

    moved = ContentType.objects.get(app_label="departures", model="departure")
    assert moved.pk == old.pk
    assert not ContentType.objects.filter(app_label="accounts", model__startswith="departure").exists()
    assert _fresh(user).has_perm("departures.view_departure")

    move.backwards(apps, _Editor())
    assert ContentType.objects.get(app_label="accounts", model="departure").pk == old.pk
    move.forwards(apps, _Editor())
    assert _fresh(user).has_perm("departures.view_departure")


def test_duplicate_content_types_are_merged_onto_the_new_ones():
    new = ContentType.objects.get(app_label="departures", model="departure")
    stale = ContentType.objects.create(app_label="accounts", model="departure")
    held = Permission.objects.create(content_type=stale, codename="change_departure", name="Can change")
    only_old = Permission.objects.create(content_type=stale, codename="sign_departure", name="Sign")
    group = Group.objects.create(name="离岗离职办理")
    group.permissions.add(held, only_old)
    user = make_user(RoleKey.DRAFTER)
    user.user_permissions.add(held)

    move.forwards(apps, _Editor())

    assert not ContentType.objects.filter(pk=stale.pk).exists()
    assert set(group.permissions.values_list("content_type__app_label", "codename")) == {
        ("departures", "change_departure"),
        ("departures", "sign_departure"),
    }
    assert Permission.objects.filter(content_type=new, codename="change_departure").count() == 1
    assert _fresh(user).has_perm("departures.change_departure")
