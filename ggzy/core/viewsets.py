from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .models import CalendarDay, CalendarYear
from .panels import CalendarWarningPanel


class CalendarIndexView(IndexView):
    """The listing, with the dashboard's warning while this or next year has no data:
    the screen where it is fixed says what is missing."""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "calendar_warning": CalendarWarningPanel()}


class CalendarDayViewSet(ModelViewSet):
    """Holidays and 调休 days, edited when the State Council publishes a year."""

    model = CalendarDay
    icon = "date"
    menu_label = _("节假日与调休")
    url_prefix = "calendar/days"
    form_fields = ["date", "kind", "name"]
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    ordering = ["-date"]
    copy_view_enabled = False
    index_view_class = CalendarIndexView
    index_template_name = "core/calendar_index.html"


class CalendarYearViewSet(ModelViewSet):
    model = CalendarYear
    icon = "calendar-check"
    menu_label = _("已录入年度")
    url_prefix = "calendar/years"
    form_fields = ["year", "source"]
    list_display = ["year", "source", "recorded_at"]
    ordering = ["-year"]
    copy_view_enabled = False
    index_view_class = CalendarIndexView
    index_template_name = "core/calendar_index.html"


class CalendarViewSetGroup(ViewSetGroup):
    menu_label = _("工作日历")
    menu_icon = "date"
    add_to_admin_menu = True
    menu_order = 900
    items = (CalendarDayViewSet("calendar_days"), CalendarYearViewSet("calendar_years"))
