from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .models import CalendarDay, CalendarYear


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


class CalendarYearViewSet(ModelViewSet):
    model = CalendarYear
    icon = "calendar-check"
    menu_label = _("已录入年度")
    url_prefix = "calendar/years"
    form_fields = ["year", "source"]
    list_display = ["year", "source", "recorded_at"]
    ordering = ["-year"]
    copy_view_enabled = False


class CalendarViewSetGroup(ViewSetGroup):
    menu_label = _("工作日历")
    menu_icon = "date"
    add_to_admin_menu = True
    menu_order = 900
    items = (CalendarDayViewSet("calendar_days"), CalendarYearViewSet("calendar_years"))
