"""Loading a center's organisation, roles and column tree (setup_center)."""

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import transaction

from ggzy.accounts import services as accounts
from ggzy.accounts.choices import DepartmentKind, RoleKey
from ggzy.accounts.models import Department, User
from ggzy.compliance import services as compliance
from ggzy.core.calendar import calendar_seed
from ggzy.facility import services as facility
from ggzy.portal import services as portal
from ggzy.portal.choices import ColumnType, UpdateTimeLimit
from ggzy.portal.models import ColumnPage
from ggzy.publishing import services as publishing

DEFAULT_CENTER_DATA = Path(__file__).parent / "data" / "jiaozuo.toml"
COLLECTION_APPS = {"wagtailimages", "wagtaildocs"}


class CenterDataError(ValueError):
    """The center data file is missing, unreadable or inconsistent."""


@dataclass
class SetupResult:
    departments_created: int
    roles_created: int
    columns_created: int
    admin: User | None
    admin_password: str | None


def load_center_data(path: Path = DEFAULT_CENTER_DATA) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise CenterDataError(f"cannot read center data {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise CenterDataError(f"center data {path} is not valid TOML: {exc}") from exc
    _validate(data, path)
    return data


def _validate(data: dict[str, Any], path: Path) -> None:
    for key in ("center", "departments", "roles", "columns", "workflows"):
        if key not in data:
            raise CenterDataError(f"center data {path}: missing [{key}]")
    codes = {d["code"] for d in data["departments"]}
    for dept in data["departments"]:
        if dept.get("kind") not in DepartmentKind.values:
            raise CenterDataError(f"department {dept.get('code')}: unknown kind {dept.get('kind')!r}")
    for role in data["roles"]:
        if role.get("key") not in RoleKey.values:
            raise CenterDataError(f"role {role.get('name')}: unknown key {role.get('key')!r}")

    workflow_keys = {w.get("key") for w in data["workflows"]}
    for workflow in data["workflows"]:
        for step in workflow.get("steps", []):
            if step.get("type") not in publishing.TASK_TYPES:
                raise CenterDataError(
                    f"workflow {workflow.get('key')}: unknown step type {step.get('type')!r}"
                )
            if "checklist" in step and step["checklist"] not in data.get("checklists", {}):
                raise CenterDataError(
                    f"workflow {workflow.get('key')}: unknown checklist {step['checklist']!r}"
                )
            unknown_roles = set(step.get("roles", [])) - set(RoleKey.values)
            if unknown_roles or not step.get("roles"):
                raise CenterDataError(f"workflow {workflow.get('key')}: bad roles {step.get('roles')!r}")
    if data["center"].get("default_workflow") not in workflow_keys:
        raise CenterDataError("center.default_workflow must name a workflow key")

    def check_column(spec: dict[str, Any]) -> None:
        if "workflow" in spec and spec["workflow"] not in workflow_keys:
            raise CenterDataError(f"column {spec.get('title')}: unknown workflow {spec['workflow']!r}")
        for field in ("title", "slug"):
            if not spec.get(field):
                raise CenterDataError(f"column {spec}: missing {field}")
        if spec.get("type", "news") not in ColumnType.values:
            raise CenterDataError(f"column {spec['title']}: unknown type {spec.get('type')!r}")
        if spec.get("update", "realtime") not in UpdateTimeLimit.values:
            raise CenterDataError(f"column {spec['title']}: unknown update {spec.get('update')!r}")
        missing = set(spec.get("sources", [])) - codes
        if missing:
            raise CenterDataError(f"column {spec['title']}: unknown departments {sorted(missing)}")
        for child in spec.get("children", []):
            check_column(child)

    for spec in data["columns"]:
        check_column(spec)
    if data["center"].get("bootstrap_admin_department") not in codes:
        raise CenterDataError("center.bootstrap_admin_department must name a department code")


@transaction.atomic
def setup_center(*, data: dict[str, Any], create_admin: bool = True) -> SetupResult:
    """Idempotent: a second run creates nothing and changes nothing edited since."""
    departments_created = 0
    for order, dept in enumerate(data["departments"], start=1):
        _, created = accounts.department_ensure(
            code=dept["code"], name=dept["name"], kind=dept["kind"], sort_order=order
        )
        departments_created += created

    home = portal.home_ensure(title=data["center"]["name"])

    roles_created = 0
    for spec in data["roles"]:
        model_perms = [p for p in spec.get("permissions", []) if p.split(".")[0] not in COLLECTION_APPS]
        collection_perms = [p for p in spec.get("permissions", []) if p.split(".")[0] in COLLECTION_APPS]
        try:
            role, created = accounts.role_ensure(
                key=spec["key"],
                name=spec["name"],
                description=spec.get("description", ""),
                permissions=model_perms,
            )
        except ValueError as exc:
            raise CenterDataError(str(exc)) from exc
        roles_created += created
        portal.group_page_permissions_ensure(
            group=role.group, page=home, codenames=spec.get("page_permissions", [])
        )
        portal.group_collection_permissions_ensure(
            group=role.group,
            permissions=[
                Permission.objects.get(content_type__app_label=p.split(".")[0], codename=p.split(".")[1])
                for p in collection_perms
            ],
        )

    try:
        columns_created = portal.column_tree_ensure(home=home, columns=data["columns"])
    except ValidationError as exc:
        raise CenterDataError("; ".join(exc.messages)) from exc

    checklists = data.get("checklists", {})
    workflows = {
        spec["key"]: publishing.workflow_ensure(
            name=spec["name"],
            steps=[
                {**step, "checklist": checklists[step["checklist"]]} if "checklist" in step else step
                for step in spec["steps"]
            ],
        )[0]
        for spec in data["workflows"]
    }
    publishing.workflow_assign(page=home, workflow=workflows[data["center"]["default_workflow"]])
    _assign_column_workflows(parent=home, columns=data["columns"], workflows=workflows)

    calendar_seed()  # statutory holidays and 调休 for the years chinese-calendar knows

    # The clause catalogue and the registered obligations (issue 21), then their
    # occurrences over the rolling horizon; each step is idempotent.
    compliance.clauses_load()
    compliance.obligations_load()
    facility.repair_duties_ensure_all()  # 机房 四: per room, from its commissioning date
    compliance.occurrences_generate()

    admin = password = None
    if create_admin:
        center = data["center"]
        result = accounts.bootstrap_admin_ensure(
            username=center["bootstrap_admin"],
            department=Department.objects.get(code=center["bootstrap_admin_department"]),
        )
        if result is not None:
            admin, password = result
    return SetupResult(departments_created, roles_created, columns_created, admin, password)


def _assign_column_workflows(*, parent, columns, workflows) -> None:
    for spec in columns:
        column = ColumnPage.objects.child_of(parent).get(slug=spec["slug"])
        if "workflow" in spec:
            publishing.workflow_assign(page=column, workflow=workflows[spec["workflow"]])
        _assign_column_workflows(parent=column, columns=spec.get("children", []), workflows=workflows)
