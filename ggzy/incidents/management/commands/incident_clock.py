"""Flag incidents past the 5-minute report clock and escalate unacknowledged notifications."""

from django.core.management.base import BaseCommand

from ggzy.incidents.services import incidents_mark_late, notifications_escalate


class Command(BaseCommand):
    help = "应急预案第八条：标记超过 5 分钟未报告的安全事件，重发并升级未确认的通知。"

    def handle(self, *args, **options):
        late = incidents_mark_late()
        escalated = notifications_escalate()
        self.stdout.write(f"late: {len(late)} incident(s); escalated: {len(escalated)} notification(s)")
