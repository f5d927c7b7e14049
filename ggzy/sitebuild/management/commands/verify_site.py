from django.core.management.base import BaseCommand, CommandError

from ggzy.sitebuild.services import VerifyReport, site_check


class Command(BaseCommand):
    help = (
        "Check the publish root against its signed manifest (exit 1 if tampered); "
        "--restore re-renders modified/missing files from the database and removes added ones."
    )

    def add_arguments(self, parser):
        parser.add_argument("--restore", action="store_true", help="repair what the check finds")

    def _report(self, report: VerifyReport) -> None:
        if report.manifest_error:
            self.stdout.write(f"manifest: {report.manifest_error}")
        for label, paths in (
            ("modified", report.modified),
            ("added", report.added),
            ("missing", report.missing),
        ):
            for path in paths:
                self.stdout.write(f"{label}: {path}")

    def handle(self, *args, restore: bool, **options):
        result = site_check(restore=restore)
        report = result.report
        if report.intact:
            self.stdout.write(f"Site intact: {report.files_checked} files match the signed manifest.")
            return
        self._report(report)
        summary = (
            f"Site tampered: {len(report.modified)} modified, {len(report.added)} added, "
            f"{len(report.missing)} missing{' (bad manifest)' if report.manifest_error else ''}."
        )
        if result.after is None:
            raise CommandError(summary)
        self.stdout.write(summary)
        if not result.after.intact:
            self._report(result.after)
            raise CommandError("Restore failed: the publish root is still not intact.")
        self.stdout.write(f"Restored: {result.after.files_checked} files match the signed manifest again.")
