"""Check the audit chain (or one archive): exit 0 when intact, 1 at the first break."""

import sys
import time
from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from ggzy.audit.signals import chain_broken
from ggzy.audit.verify import verify_archive, verify_chain


def _parse_since(value: str) -> datetime:
    parsed = parse_datetime(value)
    if parsed is None:
        day = parse_date(value)
        if day is None:
            raise CommandError(f"--since must be YYYY-MM-DD or an ISO date-time, got {value!r}")
        parsed = datetime.combine(day, datetime.min.time())
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


class Command(BaseCommand):
    help = "校验审计日志哈希链（网络安全管理办法 五）。完整时退出码 0，否则 1 并指出第一条被破坏的事件。"

    def add_arguments(self, parser):
        parser.add_argument("--since", help="只校验该日期（含）之后的事件，YYYY-MM-DD")
        parser.add_argument("--archive", help="只校验一个归档文件（.jsonl.gz，旁边须有 .manifest.json）")

    def handle(self, *args, since=None, archive=None, **options):
        started = time.monotonic()
        if archive:
            result = verify_archive(Path(archive))
        else:
            result = verify_chain(since=_parse_since(since) if since else None)
        elapsed = time.monotonic() - started
        if result.ok:
            rate = f"，{result.count / elapsed:.0f} 条/秒" if elapsed > 0 and result.count else ""
            self.stdout.write(
                f"OK: verified {result.count} events. {result.message}（用时 {elapsed:.2f} 秒{rate}）"
            )
            return
        where = (
            f"事件 id={result.broken_id} 时间={result.broken_time} 序号={result.broken_seq}"
            if result.broken_id is not None
            else "事件链"
        )
        # Apps above (incidents) raise an alert; a receiver's failure must not hide the break.
        chain_broken.send_robust(
            sender=self.__class__,
            message=result.message,
            broken_id=result.broken_id,
            broken_seq=result.broken_seq,
            broken_time=result.broken_time,
            archive=str(archive or ""),
        )
        self.stderr.write(f"BROKEN: {where}：{result.message}（此前已校验 {result.count} 条）")
        sys.exit(1)
