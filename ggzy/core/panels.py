import datetime as dt

from django.utils import timezone
from wagtail.admin.ui.components import Component

from .calendar import years_without_data


class CalendarWarningPanel(Component):
    """A visible warning on the admin dashboard when this or next year has no
    recorded holiday arrangement (deadlines there assume Monday–Friday)."""

    name = "calendar_warning"
    template_name = "core/calendar_warning_panel.html"
    order = 50

    def __init__(self, today: dt.date | None = None):
        self.today = today or timezone.localdate()

    def get_context_data(self, parent_context=None):
        return {"missing_years": years_without_data([self.today.year, self.today.year + 1])}
