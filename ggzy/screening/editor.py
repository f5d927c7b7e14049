"""Screening in Wagtail's page editor, around the save (issue 20: a screening block
"says plainly whether the draft was saved (it was)").

A submit (提交审核) or publish (发布) that screening refuses still keeps the edits,
as a draft: never published, never sent into the approval chain
(网站政务信息发布的管理规定 一(二)(四); 网站管理制度 第八条、第十四条).

Wagtail's create and edit views fix their action (publish, submit or a plain save)
from the POST keys before the form is cleaned, and save nothing from a form that
does not validate. So the choice is made before the view acts, in the
``before_create_page``/``before_edit_page`` hooks: :func:`release_or_draft` cleans a
bound copy of the page's form (``ScreenedPageForm.clean`` screens a release and
names what blocks it); when screening refuses, the request goes on without its
submit/publish keys, i.e. as Wagtail's own 保存草稿 (a new revision through Wagtail's
save path), re-dispatched inside one transaction with the audit event of the block.
After the save, :func:`after_save` puts the banner above the findings.

The form stays the gate: a release that reaches it with blocking findings (restart
of a workflow, a reviewer's action, any road without these hooks) is refused there,
with nothing saved, as before. The saved draft is screened again at its next
submit, and the publishing chain screens the latest revision before it goes live.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.utils.translation import gettext as _

from .pages import is_screened_article
from .pagescreen import describe, page_findings
from .rules import Finding
from .services import page_release_blocked

__all__ = ["RELEASE_KEYS", "after_save", "release_or_draft"]

# The editor's POST keys that send a page on its way and become a draft save when
# screening refuses (restart-workflow and a reviewer's action stay refused by the form).
RELEASE_KEYS = ("action-publish", "action-submit")

_BLOCK = "_ggzy_screening_block"


@dataclass
class _Block:
    requested: str  # "publish" or "submit"
    findings: dict[str, list[Finding]]
    saved: object = None  # the page, once Wagtail saved the draft
    revision_id: int | None = None


def _refusing_findings(request, page_class, *, instance, parent) -> dict[str, list[Finding]]:
    """What screening refuses in the posted form (empty: the release may go on).
    A copy of the form Wagtail is about to clean, on its own instance (cleaning
    writes the values into it)."""
    form_class = page_class.get_edit_handler().get_form_class()
    form = form_class(
        request.POST, request.FILES, instance=instance(), parent_page=parent, for_user=request.user
    )
    form.is_valid()
    return getattr(form, "screening_blocked", {}) or {}


def release_or_draft(request, *, page_class, instance, parent, page=None):
    """The hook's work: None to let Wagtail go on, or the response of the draft save
    that replaced a refused release. ``instance()`` makes the page object to clean
    the form on; ``page`` is the page edited (None when creating)."""
    if request.method != "POST" or getattr(request, _BLOCK, None) is not None:
        return None
    if not is_screened_article(page_class):
        return None
    requested = [key for key in RELEASE_KEYS if request.POST.get(key)]
    if not requested:
        return None
    findings = _refusing_findings(request, page_class, instance=instance, parent=parent)
    if not findings:
        return None

    data = request.POST.copy()
    for key in RELEASE_KEYS:
        data.pop(key, None)
    request.POST = data
    block = _Block(requested=requested[0].removeprefix("action-"), findings=findings)
    setattr(request, _BLOCK, block)
    match = request.resolver_match
    with transaction.atomic():
        # Wagtail's own view again, now a plain save; after_save marks what it saved.
        response = match.func(request, *match.args, **match.kwargs)
        page_release_blocked(
            actor=request.user,
            page=block.saved or page,
            parent=parent,
            requested=block.requested,
            findings=findings,
            revision_id=block.revision_id,
        )
    if block.saved is None:
        # The form had other errors: Wagtail saved nothing and shows them; say so,
        # with what screening found (the form did not screen a plain save).
        messages.error(
            request,
            _(
                "内容审查：发现阻止发布的问题（见下），未提交、未发布；"
                "表单另有错误，本次修改尚未保存，请改正后重新提交。"
            ),
        )
        for found in findings.values():
            for finding in found:
                messages.error(request, describe(finding))
    return response


def _field_label(page, name: str) -> str:
    try:
        return str(page._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def after_save(request, page):
    """After every save of a screened page: the banner of a refused release (the
    draft was saved, not submitted or published), then what screening found, by
    field (blocking findings stop only submitting and publishing; a draft keeps
    them visible to its author)."""
    page = page.specific
    if not is_screened_article(type(page)):
        return
    block = getattr(request, _BLOCK, None)
    if block is not None:
        block.saved = page
        block.revision_id = page.latest_revision_id
        what = _("未发布") if block.requested == "publish" else _("未提交审核")
        messages.error(
            request,
            _(
                "内容审查：发现阻止发布的问题（规则名称和命中内容见下），%(what)s。"
                "本次修改已保存为草稿，请修改后重新提交。"
            )
            % {"what": what},
        )
    if not request.accepts("text/html"):
        return  # an autosave (JSON): no messages to pile up for the next page
    parent = page.get_parent()
    values = {name: getattr(page, name) for name in page.screened_fields}
    for name, findings in page_findings(values, column_slug=parent.slug if parent else None).items():
        label = _field_label(page, name)
        for finding in findings:
            level = messages.error if finding.blocking else messages.warning
            level(request, f"{label}：{describe(finding)}")
