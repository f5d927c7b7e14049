"""The last lines `make run` prints (issue 20, the first five minutes): once the
server answers, where it is and, while the first administrator's password has not
been changed, where that password is kept."""

import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ggzy.accounts import first_password
from ggzy.center.demo import PASSWORD_FILE as DEMO_PASSWORD_FILE


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own loopback address)
            return response.status < 500
    except urllib.error.HTTPError as exc:
        return exc.code < 500
    except OSError:
        return False


class Command(BaseCommand):
    help = "Wait until the embedded server answers, then print its address and where the first password is."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="the server's address")
        parser.add_argument("--wait", type=float, default=60, help="seconds to wait for it to answer")

    def handle(self, *args, url: str, wait: float, **options):
        url = url if url.endswith("/") else url + "/"
        deadline = time.monotonic() + wait
        while not answers(url + "admin/login/"):
            if time.monotonic() > deadline:
                raise CommandError(f"the server at {url} did not answer within {wait:g} s")
            time.sleep(0.5)
        line = "=" * 64
        lines = [line, f"ggzy is running: {url}", f"  admin: {url}admin/"]
        who = first_password.current()
        if who:
            lines += [
                f"  first administrator: {who}; the password is in {first_password.path()}",
                f"  (cat {first_password.path()}; the file is deleted when the password is changed)",
            ]
        demo = Path(settings.VAR_DIR) / DEMO_PASSWORD_FILE
        if demo.exists():  # make demo: the state's own staff, and the way back
            lines += [
                f"  demo state {settings.VAR_DIR}: demo staff and passwords in {demo}",
                f"  (make run switches back to the normal state; rm -rf {settings.VAR_DIR} deletes the demo)",
            ]
        lines += ["  quiet logs: LOG_LEVEL=INFO make run shows more. Ctrl-C stops.", line]
        self.stdout.write("\n".join(lines))
