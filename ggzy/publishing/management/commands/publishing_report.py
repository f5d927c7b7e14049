import re
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ggzy.audit import services as audit
from ggzy.publishing.report_formats import report_json, report_pdf, report_xlsx
from ggzy.publishing.reports import monthly_report


class Command(BaseCommand):
    help = "Monthly department report (每月通报): JSON to stdout, or xlsx/pdf to --out."

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--format", choices=["json", "xlsx", "pdf"], default="json")
        parser.add_argument("--out", type=Path, help="output file (required for xlsx and pdf)")

    def handle(self, *args, month: str, format: str, out: Path | None, **options):
        match = re.fullmatch(r"(\d{4})-(0[1-9]|1[0-2])", month)
        if not match:
            raise CommandError(f"--month must be YYYY-MM, got {month!r}")
        report = monthly_report(year=int(match.group(1)), month=int(match.group(2)))
        if format == "json":
            text = report_json(report)
            if out:
                out.write_text(text + "\n", encoding="utf-8")
            else:
                self.stdout.write(text)
            if report.calendar_warning:
                sys.stderr.write(f"warning: {report.calendar_warning}\n")
            self._audit(month, format, out)
            return
        if out is None:
            raise CommandError(f"--out FILE is required for --format {format}")
        if out.parent and not out.parent.exists():
            raise CommandError(f"directory {out.parent} does not exist")
        data = report_xlsx(report) if format == "xlsx" else report_pdf(report)
        tmp = out.with_name(out.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(out)  # never leave a half-written report behind
        self._audit(month, format, out)
        self.stdout.write(f"wrote {out} ({len(data)} bytes)")

    def _audit(self, month: str, format: str, out: Path | None) -> None:
        # An export is an event (网络安全管理办法 五), recorded once it has been written.
        audit.record(
            action="publishing.monthly_report.exported",
            actor_username="cli",
            object_type="publishing.monthlyreport",
            object_repr=month,
            format=format,
            out=str(out or "-"),
        )
