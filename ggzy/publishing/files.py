"""Who may fetch an uploaded file (issue 14 item 2).

网站管理制度 第十一条: nothing is public before its approval chain completes. A
document or image is public only while a live, public page uses it (Wagtail's
ReferenceIndex, which the static build's copies follow too); anything else is
staff-only, and a member of staff sees it only when a page within their reach
uses it (the reviewer of a notice, its attachments) or it is in the media
library they work with (a collection permission) and their department uploaded
it (信息科's all-column roles: any). Other uploads under MEDIA_ROOT (original
images, workbooks, compliance evidence, the publication archive) are never
served from /media/: only image renditions are.
"""

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _
from wagtail.models import Page, PageViewRestriction, ReferenceIndex

from .permissions import page_within_reach, works_on_every_column

FILE_ACTIONS = ("add", "change", "choose")


def pages_using(obj):
    """Pages whose saved content refers to the image or document."""
    refs = ReferenceIndex.get_references_to(obj).filter(
        base_content_type=ContentType.objects.get_for_model(Page)
    )
    return Page.objects.filter(pk__in=[int(ref.object_id) for ref in refs])


def live_pages_using(obj):
    return pages_using(obj).filter(live=True)


def _restricted(page) -> bool:
    return PageViewRestriction.objects.filter(
        page__in=Page.objects.ancestor_of(page, inclusive=True)
    ).exists()


def is_public_file(obj) -> bool:
    """A live page without view restrictions uses it."""
    return any(not _restricted(page) for page in live_pages_using(obj))


def _file_policy(obj):
    from wagtail.documents import get_document_model
    from wagtail.documents.permissions import permission_policy as document_policy
    from wagtail.images.permissions import permission_policy as image_policy

    return document_policy if isinstance(obj, get_document_model()) else image_policy


def user_may_see_file(user, obj) -> bool:
    """Staff preview of a file that is not public."""
    if not (user.is_authenticated and user.is_active and user.has_perm("wagtailadmin.access_admin")):
        return False
    if any(page_within_reach(page, user) for page in pages_using(obj).specific(defer=True)[:50]):
        return True
    if not _file_policy(obj).user_has_any_permission_for_instance(user, FILE_ACTIONS, obj):
        return False
    if works_on_every_column(user):
        return True
    uploader = obj.uploaded_by_user
    return uploader is not None and uploader.department_id == user.department_id


def may_fetch_file(user, obj) -> bool:
    return is_public_file(obj) or user_may_see_file(user, obj)


# --------------------------------------------------------------------------- the live-media rule

# Issue 14 item 3 (网站管理制度 第十一条): what the public sees changes only
# through the chain, so the file of an image or document a live page uses is
# neither deleted nor replaced — by any route, present or future: the rule is
# on the models (pre_delete / pre_save), not on a list of views.


class LiveMediaInUse(Exception):
    """Deleting or replacing the file of media a live page uses. Not a
    PermissionDenied: Wagtail's admin would swallow that into a generic "no
    permission" redirect; LiveMediaGuardMiddleware shows this message instead."""

    def __init__(self, obj, pages):
        self.obj, self.pages = obj, pages
        self.message = _(
            "“%(name)s”正被已发布的页面使用（%(pages)s），不能直接替换或删除；请上传新文件，并通过该页面的审批流程更换。"
        ) % {"name": obj.title, "pages": "、".join(p.title for p in pages)}
        super().__init__(self.message)


def refuse_if_live(obj) -> None:
    pages = list(live_pages_using(obj)[:3])
    if pages:
        raise LiveMediaInUse(obj, pages)


def _file_changed(instance) -> bool:
    if instance.pk is None:
        return False
    stored = type(instance).objects.filter(pk=instance.pk).values_list("file", flat=True).first()
    return stored is not None and stored != instance.file.name


def _guarded(model) -> None:
    """Check before the model's own delete and save: the check runs before
    Django opens its delete or save transaction, so a refusal leaves the
    caller's transaction usable. A bulk queryset delete, which calls neither,
    meets the pre_delete receiver."""
    if getattr(model, "_ggzy_live_media_guard", False):
        return
    delete, save = model.delete, model.save

    def guarded_delete(self, *args, **kwargs):
        refuse_if_live(self)
        return delete(self, *args, **kwargs)

    def guarded_save(self, *args, **kwargs):
        if _file_changed(self):
            refuse_if_live(self)
        return save(self, *args, **kwargs)

    model.delete, model.save = guarded_delete, guarded_save
    model._ggzy_live_media_guard = True


def guard_delete(sender, instance, **kwargs) -> None:
    refuse_if_live(instance)


def connect_live_media_guard() -> None:
    from django.db.models.signals import pre_delete
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    for model in (get_document_model(), get_image_model()):
        _guarded(model)
        pre_delete.connect(guard_delete, sender=model, dispatch_uid=f"ggzy-live-media-{model._meta.label}")
