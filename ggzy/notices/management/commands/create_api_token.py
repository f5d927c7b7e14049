"""python manage.py create_api_token --name NAME --kinds KIND,KIND

Creates an intake API token and prints it once (only its SHA-256 is kept).
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ggzy.notices.services import api_token_create


class Command(BaseCommand):
    help = "Create an intake API token for the trading system; the token is printed once."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="who uses it, e.g. 交易系统")
        parser.add_argument("--kinds", required=True, help="comma-separated kinds, e.g. construction.tender")

    def handle(self, *args, name, kinds, **options):
        try:
            token, raw = api_token_create(name=name, kinds=kinds.split(","))
        except ValidationError as exc:
            raise CommandError("; ".join(m for ms in exc.message_dict.values() for m in ms)) from exc
        self.stdout.write(f"API token “{token.name}” created for: {', '.join(token.kinds)}")
        self.stdout.write("Shown only this once; store it in the trading system now:")
        self.stdout.write(f"  {raw}")
