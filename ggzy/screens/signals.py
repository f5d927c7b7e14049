"""A notice published or unpublished (or an 重要通知 article) changes what the screens
show: their data is rewritten once the transaction commits (网络设备管理制度 第九条:
the publish at the end of the approval chain is the only road onto a screen)."""

from wagtail.signals import page_published, page_unpublished

from ggzy.notices.models import NoticePage
from ggzy.portal.models import ArticlePage

from .publish import publish_on_commit


def _page_changed(sender, instance, **kwargs):
    if isinstance(instance, NoticePage | ArticlePage):
        publish_on_commit()


def connect() -> None:
    page_published.connect(_page_changed, dispatch_uid="screens.page_published")
    page_unpublished.connect(_page_changed, dispatch_uid="screens.page_unpublished")
