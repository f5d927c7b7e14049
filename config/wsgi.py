import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# make run: the published files (PUBLISH_ROOT) are served before Django
# (网络设备管理制度 第七条; ggzy.sitebuild.serving). GGZY_SERVE_PUBLISHED=false turns it off.
from ggzy.sitebuild.serving import published_site  # noqa: E402 (needs the settings loaded)

application = published_site(application)

# The hall's screens (ggzy.screens): /screens/ from SCREENS_ROOT, each data fetch a
# heartbeat line in SCREENS_BEAT_LOG (网络设备管理制度 第三条); same switch.
from ggzy.screens.serving import screens_site  # noqa: E402

application = screens_site(application)
