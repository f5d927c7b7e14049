from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ggzy.screening.choices import LexiconCategory
from ggzy.screening.services import lexicon_import


class Command(BaseCommand):
    help = (
        "Import the center's own prohibited-term list into one lexicon category "
        "(plain text, one term a line; or .xlsx, first column). All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--category", required=True, help=f"one of: {', '.join(LexiconCategory.values)}")
        parser.add_argument("file", type=Path)
        parser.add_argument("--severity", default="block", choices=["block", "warn"])
        parser.add_argument("--dry-run", action="store_true", help="check and count; import nothing")

    def handle(self, *args, category: str, file: Path, severity: str, dry_run: bool, **options):
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from exc
        try:
            result = lexicon_import(
                category=category, name=file.name, data=data, severity=severity, dry_run=dry_run
            )
        except ValidationError as exc:
            raise CommandError(f"{file}: nothing imported:\n  " + "\n  ".join(exc.messages)) from exc
        verb = "would import" if dry_run else "imported"
        self.stdout.write(
            f"{category}: {verb} {len(result.created)} term(s); {len(result.existing)} already present"
        )
