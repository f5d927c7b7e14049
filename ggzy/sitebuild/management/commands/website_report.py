import datetime as dt
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ggzy.sitebuild.website_report import report_pdf, report_xlsx, website_report, website_report_store


class Command(BaseCommand):
    help = (
        "Write the monthly website report (updates per column, checks, links, availability; "
        "in December also the annual figures) as PDF and xlsx; --store keeps them as the "
        "month's stored report (what the scheduled run on the 1st does)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM (default: the previous month)")
        parser.add_argument("--out", default=".", help="directory for the two files")
        parser.add_argument(
            "--store",
            action="store_true",
            help="keep it as the stored report (MEDIA_ROOT/website-reports/, SHA-256, audited), not in --out",
        )

    def handle(self, *args, month=None, out=".", store=False, **options):
        if month is None:
            last = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
            year, number = last.year, last.month
        else:
            match = re.fullmatch(r"(\d{4})-(\d{2})", month)
            if not match or not 1 <= int(match.group(2)) <= 12:
                raise CommandError(f"--month must be YYYY-MM, got {month!r}")
            year, number = int(match.group(1)), int(match.group(2))
        if store:
            row = website_report_store(year=year, month=number)
            self.stdout.write(f"stored {row.pdf.name} (sha256 {row.pdf_sha256}) and {row.xlsx.name}")
            return
        directory = Path(out)
        if not directory.is_dir():
            raise CommandError(f"--out {out!r} is not a directory")
        report = website_report(year=year, month=number)
        stem = directory / f"website-report-{year}-{number:02d}"
        pdf, xlsx = stem.with_suffix(".pdf"), stem.with_suffix(".xlsx")
        pdf.write_bytes(report_pdf(report))
        xlsx.write_bytes(report_xlsx(report))
        self.stdout.write(f"{report.figures.updates} update(s), availability {report.figures.availability}")
        self.stdout.write(f"wrote {pdf} and {xlsx}")
