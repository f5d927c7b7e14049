import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# make run: the published files (PUBLISH_ROOT) are served before Django
# (网络设备管理制度 第七条; ggzy.sitebuild.serving). GGZY_SERVE_PUBLISHED=false turns it off.
from ggzy.sitebuild.serving import published_site  # noqa: E402 (needs the settings loaded)

application = published_site(application)
