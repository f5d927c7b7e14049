from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from ggzy.accounts import views as account_views
from ggzy.compliance import views as compliance_views
from ggzy.incidents import views as incident_views
from ggzy.notices.api import api as notices_api
from ggzy.publishing.views import media

urlpatterns = [
    path("admin/password/change/", account_views.password_change, name="accounts_password_change"),
    path("admin/mfa/setup/", account_views.mfa_setup, name="accounts_mfa_setup"),
    path("admin/mfa/verify/", account_views.mfa_verify_view, name="accounts_mfa_verify"),
    path("admin/mfa/recovery-codes/", account_views.mfa_recovery_codes, name="accounts_mfa_recovery_codes"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", notices_api.urls),
    # The per-user iCalendar feed of compliance duties (secret token; internal network like /admin/).
    path("api/calendar/<str:token>.ics", compliance_views.ical, name="compliance_ical"),
    # Acknowledging an incident notification (signed token in the SMS/e-mail; internal network).
    path("api/incidents/ack/<str:token>/", incident_views.acknowledge, name="incidents_ack"),
    path(
        "search/", include("ggzy.search.urls")
    ),  # public search (ggzy.search)  # intake API for the trading system (ggzy.notices)
]

if settings.GGZY_SERVE_MEDIA:
    # Embedded mode (make run): the app serves image renditions, after the file
    # permission check (issue 14 item 2); no other upload is ever served from /media/.
    urlpatterns.append(re_path(r"^media/(?P<path>.*)$", media, name="ggzy_media"))

# Column RSS feeds and the sitemap (ggzy.portal), before Wagtail's page catch-all.
urlpatterns.append(path("", include("ggzy.portal.urls")))
# The project view (all notices of one project code; ggzy.notices), likewise.
urlpatterns.append(path("", include("ggzy.notices.urls")))
urlpatterns.append(path("", include(wagtail_urls)))
