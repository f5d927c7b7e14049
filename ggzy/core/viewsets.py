from django.contrib.admin.utils import quote
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .models import CalendarDay, CalendarYear
from .panels import CalendarWarningPanel

# The views of a ModelViewSet whose URL names its views link to (ModelViewSet.get_common_view_kwargs).
_LINKED_VIEWS = ("add", "edit", "delete", "history", "usage")


class LimitedModelViewSet(ModelViewSet):
    """A ModelViewSet without some of Wagtail's stock views (records written by
    services only, things cancelled or revoked rather than deleted).

    ``removed_views`` are neither served nor linked. Dropping the URL alone is
    not enough: Wagtail's views link "add", "edit", "delete" whenever the URL
    name is set and the user holds the model permission, and the superuser holds
    them all, so the listing reversed a URL that did not exist (NoReverseMatch,
    HTTP 500; issue 14 item 4). Read-only screens subclass this, never filter
    ``get_urlpatterns`` by hand."""

    removed_views: frozenset[str] = frozenset()

    def get_urlpatterns(self):
        return [p for p in super().get_urlpatterns() if p.name not in self.removed_views]

    def get_common_view_kwargs(self, **kwargs):
        unlinked = {f"{view}_url_name": None for view in _LINKED_VIEWS if view in self.removed_views}
        return super().get_common_view_kwargs(**{**unlinked, **kwargs})

    @property
    def url_finder_class(self):
        # Links to an object from elsewhere in the admin (history, reports) go to
        # its detail view when it has no edit view, or nowhere.
        if "edit" not in self.removed_views:
            return super().url_finder_class
        inspect = self.get_url_name("inspect") if self.inspect_view_enabled else None

        class _URLFinder(ModelAdminURLFinder):
            def construct_edit_url(self, instance):
                return reverse(inspect, args=(quote(instance.pk),)) if inspect else None

        return _URLFinder


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
