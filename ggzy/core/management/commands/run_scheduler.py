import logging

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ggzy.core.scheduling import ScheduleError, load_schedule

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run the periodic schedule (GGZY_SCHEDULE): enqueue each task when its crontab fires."

    def add_arguments(self, parser):
        parser.add_argument(
            "--list", action="store_true", help="print the schedule and next run times, then exit"
        )
        parser.add_argument("--run-now", metavar="TASK", help="enqueue one scheduled task now, then exit")

    def handle(self, *args, list: bool, run_now: str | None, **options):
        try:
            schedule = load_schedule()
        except ScheduleError as exc:
            raise CommandError(str(exc)) from exc
        if list:
            for item in schedule:
                next_run = item.next_run()
                when = timezone.localtime(next_run).strftime("%Y-%m-%d %H:%M %Z") if next_run else "never"
                self.stdout.write(f"{item.path}\t{item.crontab}\tnext: {when}")
            return
        if run_now:
            matches = [item for item in schedule if item.path == run_now or item.path.endswith("." + run_now)]
            if not matches:
                raise CommandError(f"no scheduled task named {run_now!r}")
            for item in matches:
                result = item.enqueue()
                self.stdout.write(f"enqueued {item.path} ({result.id})")
            return
        from apscheduler.schedulers.blocking import BlockingScheduler

        scheduler = BlockingScheduler(timezone=str(timezone.get_current_timezone()))
        for item in schedule:
            scheduler.add_job(item.enqueue, item.trigger, id=item.path, coalesce=True, max_instances=1)
            log.info("scheduled %s at %s", item.path, item.crontab)
        self.stdout.write(f"scheduler running {len(schedule)} task(s); Ctrl-C to stop")
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            scheduler.shutdown(wait=False)
