"""Screen files before publication (网站管理制度 第八条、第十四条; 网站政务信息发布的
管理规定 一(二)(三)(四)). A contract that scripts rely on:

    python manage.py screen PATH [PATH ...] [--lexicon FILE] [--format json|text]

Exit status: 0 no blocking finding, 1 at least one blocking finding, 2 a file
could not be read or is not what its extension claims (stderr says which, why).
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from ggzy.screening import services
from ggzy.screening.extract import DocumentError
from ggzy.screening.rules import Lexicon

EXIT_BLOCKING = 1
EXIT_UNREADABLE = 2


class Command(BaseCommand):
    help = "Screen .docx/.xlsx/.pdf/.txt/images for personal data, classification marks and prohibited terms."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--lexicon",
            metavar="FILE",
            help="UTF-8 file of extra terms, one category<TAB>term a line, added to the database lexicon",
        )
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *paths, **options):
        paths = options["paths"]
        extra = []
        if options["lexicon"]:
            try:
                extra = services.lexicon_terms_from_file(options["lexicon"])
            except services.LexiconFileError as exc:
                raise CommandError(f"bad lexicon file {exc}", returncode=EXIT_UNREADABLE) from exc
        try:
            lexicon = services.active_lexicon(extra)
        except DatabaseError:
            # A machine without ggzy's database (a build server screening files):
            # the shipped starter lexicon still applies.
            self.stderr.write("warning: no lexicon database; using the shipped starter lexicon")
            lexicon = Lexicon([*services.starter_terms(), *extra])

        results, errors = [], []
        for path in paths:
            try:
                findings = services.screen_path(path, lexicon=lexicon)
            except DocumentError as exc:
                errors.append(f"{path}: {exc.message}")
                continue
            results.extend((path, finding) for finding in findings)

        if options["format"] == "json":
            payload = [
                {
                    "file": path,
                    "rule": f.rule,
                    "severity": f.severity,
                    "excerpt": f.excerpt,
                    "offset": f.offset,
                }
                for path, f in results
            ]
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            for path, f in results:
                where = f"{path}:{f.source}:{f.offset}" if f.source else f"{path}:{f.offset}"
                self.stdout.write(f"{where}: {f.severity} {f.rule} {f.excerpt}")
            blocking = sum(f.blocking for _, f in results)
            self.stdout.write(f"{len(results)} finding(s), {blocking} blocking, in {len(paths)} file(s)")

        if errors:
            raise CommandError("cannot screen " + "; ".join(errors), returncode=EXIT_UNREADABLE)
        if any(f.blocking for _, f in results):
            sys.exit(EXIT_BLOCKING)
