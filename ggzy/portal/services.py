"""Writes for the portal: the column tree and column policies."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import get_supported_language_variant, gettext_noop
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Locale, Page, Site

from ggzy.accounts.models import Department
from ggzy.audit import services as audit

from .models import ColumnPage, ColumnPolicy, HomePage, SiteIdentity

# --------------------------------------------------------------------------- home and site


# Wagtail's roots are shown in the admin: named in Chinese (data, as migration 0005 names them).
ROOT_PAGE_TITLE = gettext_noop("根页面")
ROOT_COLLECTION_NAME = gettext_noop("根目录")


def wagtail_roots_ensure() -> Page:
    """Wagtail's own roots (locale, root page, root collection), normally made by
    its migrations; recreated when a database was emptied without migrating."""
    if not Locale.objects.exists():
        Locale.objects.create(language_code=get_supported_language_variant(settings.LANGUAGE_CODE))
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name=ROOT_COLLECTION_NAME)
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title=ROOT_PAGE_TITLE, slug="root", locale=Locale.get_default()))
    return root


@transaction.atomic
def home_ensure(*, title: str, site_hostname: str = "localhost", site_port: int = 80) -> HomePage:
    """The portal home under Wagtail's root, made the default site.

    Wagtail's starter "Welcome" page, when present and childless, is replaced.
    """
    home = HomePage.objects.first()
    if home is None:
        root = wagtail_roots_ensure()
        welcome = (
            root.get_children()
            .filter(slug="home")
            .exclude(content_type__model="homepage", content_type__app_label="portal")
            .first()
        )
        if welcome is not None and not welcome.get_children().exists():
            Site.objects.filter(root_page=welcome).delete()
            welcome.delete()
        slug = "home" if not root.get_children().filter(slug="home").exists() else "portal"
        home = root.add_child(instance=HomePage(title=title, slug=slug, show_in_menus=True))
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname=site_hostname,
            port=site_port,
            root_page=home,
            is_default_site=True,
            site_name=title,
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = site.site_name or title
        site.save()
    return home


def _column_ensure(*, parent: Page, spec: Mapping[str, Any], departments: Mapping[str, Department]) -> int:
    """Create one column (and its subtree) if missing; returns pages created."""
    created = 0
    column = ColumnPage.objects.child_of(parent).filter(slug=spec["slug"]).first()
    if column is None:
        column = parent.add_child(
            instance=ColumnPage(
                title=spec["title"],
                slug=spec["slug"],
                intro=spec.get("info_types", ""),
                show_in_menus=True,
            )
        )
        column.save_revision().publish()
        created += 1
    if not hasattr(column, "policy"):
        unknown = [code for code in spec.get("sources", []) if code not in departments]
        if unknown:
            raise ValidationError(f"column {spec['title']}: unknown source departments {unknown}")
        policy = ColumnPolicy.objects.create(
            column=column,
            column_type=spec.get("type", "news"),
            info_types=spec.get("info_types", ""),
            external_sources="\n".join(spec.get("external", [])),
            update_time_limit=spec.get("update", "realtime"),
        )
        policy.full_clean()
        policy.source_departments.set([departments[code] for code in spec.get("sources", [])])
    elif spec.get("sources") and not column.policy.source_departments.exists():
        # A column with no source department is one nobody can draft in (e.g. 行业信息
        # before 信息传递制度 (三) was read into the data): fill it from the data file.
        # A list the 网站管理员 has set is left alone.
        unknown = [code for code in spec["sources"] if code not in departments]
        if unknown:
            raise ValidationError(f"column {spec['title']}: unknown source departments {unknown}")
        column_policy_update(
            policy=column.policy,
            data={},
            source_departments=[departments[code] for code in spec["sources"]],
        )
    for child in spec.get("children", []):
        created += _column_ensure(parent=column, spec=child, departments=departments)
    return created


@transaction.atomic
def column_tree_ensure(*, home: Page, columns: Iterable[Mapping[str, Any]]) -> int:
    """Lay out the column tree under the home page, in the given order.

    Existing columns (matched by slug under the same parent) and their
    policies are left as the website administrator edited them.
    """
    departments = {d.code: d for d in Department.objects.all()}
    return sum(_column_ensure(parent=home, spec=spec, departments=departments) for spec in columns)


# --------------------------------------------------------------------------- permissions


@transaction.atomic
def group_page_permissions_ensure(*, group: Group, page: Page, codenames: Iterable[str]) -> None:
    for codename in codenames:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


@transaction.atomic
def group_collection_permissions_ensure(*, group: Group, permissions: Iterable[Permission]) -> None:
    root = Collection.get_first_root_node()
    for permission in permissions:
        if permission.content_type.app_label in {"wagtailimages", "wagtaildocs"}:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root, permission=permission
            )


# --------------------------------------------------------------------------- policies


POLICY_FIELDS = (
    "column_type",
    "info_types",
    "external_sources",
    "update_time_limit",
    "font_family",
    "font_size",
    "font_color",
    "line_spacing_pt",
)


@transaction.atomic
def column_policy_update(
    *,
    policy: ColumnPolicy,
    data: Mapping[str, Any],
    source_departments: Iterable[Department] | None = None,
    actor=None,
) -> ColumnPolicy:
    """Change a column's policy (网站管理制度 第九条: set by the 网站管理员).

    Recorded with before/after (网络安全管理办法 四(四): configuration changes are recorded).
    """
    unknown = set(data) - set(POLICY_FIELDS)
    if unknown:
        raise ValidationError(f"unknown policy fields: {sorted(unknown)}")
    audited = [*POLICY_FIELDS, "source_departments"]
    # From the database: a model form has already applied its data to `policy`.
    before = audit.snapshot(ColumnPolicy.objects.get(pk=policy.pk), audited)
    for field, value in data.items():
        setattr(policy, field, value)
    policy.full_clean()
    policy.save()
    if source_departments is not None:
        policy.source_departments.set(list(source_departments))
    after = audit.snapshot(policy, audited)
    changed = sorted(k for k in audited if before[k] != after[k])
    audit.record(
        action="portal.column_policy.updated",
        actor=actor,
        obj=policy,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
    )
    return policy


# --------------------------------------------------------------------------- site identity

IDENTITY_FIELDS = (
    "site_name",
    "domain",
    "https",
    "sponsor",
    "organizer",
    "address",
    "phone",
    "email",
    "site_code",
    "icp_number",
    "police_number",
    "police_url",
    "conac_url",
)


def _domain_host_port(domain: str, https: bool) -> tuple[str, int]:
    host, _, port = domain.partition(":")
    return host.lower(), int(port) if port else (443 if https else 80)


@transaction.atomic
def site_identity_update(*, data: Mapping[str, Any], actor=None) -> SiteIdentity:
    """Save the site's identification (网站管理制度 第十五条: 网站备案; 政府网站发展指引: 网站标识),
    recorded with before/after, and make Wagtail's default Site carry the domain, so
    that the sitemap, the RSS feeds and links in e-mails give the real address. The
    static pages (every footer) are rebuilt after the commit (sitebuild's signal)."""
    from .selectors import identity_defaults

    unknown = set(data) - set(IDENTITY_FIELDS)
    if unknown:
        raise ValidationError(f"unknown identity fields: {sorted(unknown)}")
    identity = SiteIdentity.objects.select_for_update().order_by("pk").first()
    before = audit.snapshot(identity or identity_defaults(), IDENTITY_FIELDS)
    identity = identity or identity_defaults()
    for field, value in data.items():
        setattr(identity, field, value.strip() if isinstance(value, str) else value)
    identity.domain = identity.domain.lower().removeprefix("https://").removeprefix("http://").strip("/")
    identity.full_clean()
    identity.save()
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        site.hostname, site.port = _domain_host_port(identity.domain, identity.https)
        site.site_name = identity.site_name
        site.save()
    after = audit.snapshot(identity, IDENTITY_FIELDS)
    changed = sorted(k for k in IDENTITY_FIELDS if before[k] != after[k])
    audit.record(
        action="portal.site_identity.updated",
        actor=actor,
        obj=identity,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
    )
    return identity
