from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ggzy.accounts import first_password
from ggzy.center.services import DEFAULT_CENTER_DATA, CenterDataError, load_center_data, setup_center


class Command(BaseCommand):
    help = (
        "Load the center's departments, roles and column tree and create the first "
        "system administrator (idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--data", type=Path, default=DEFAULT_CENTER_DATA, help="center data file (TOML)")
        parser.add_argument(
            "--no-admin", action="store_true", help="do not create the first system administrator"
        )

    def handle(self, *args, data: Path, no_admin: bool, **options):
        try:
            result = setup_center(data=load_center_data(data), create_admin=not no_admin)
        except (CenterDataError, ValidationError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"setup_center: {result.departments_created} departments, {result.roles_created} roles, "
            f"{result.columns_created} column pages created"
        )
        if result.admin is not None:
            # Changed at first login (密码、口令管理制度 二(一)). Until then it is also kept in a
            # 0600 file under var/ that `make run` points to (issue 20), deleted at that change.
            kept = first_password.keep(username=result.admin.username, password=result.admin_password)
            line = "=" * 64
            self.stdout.write(
                f"{line}\nFirst system administrator (系统管理员) created:\n"
                f"  user name: {result.admin.username}\n"
                f"  password:  {result.admin_password}\n"
                f"Also kept in {kept} (mode 0600) until it is changed.\n"
                f"Log in at /admin/ and change the password when asked.\n{line}"
            )
