"""Screening in the page editor: findings next to the field they come from;
blocking findings stop submitting and publishing (drafts may still be saved,
with the findings shown), 网站政务信息发布的管理规定 一(二)(四). What is found
is pagescreen's; this form refuses the release and names what blocks it
(``screening_blocked``), and the editor's hook (editor.py) saves the edits as a
draft instead of a refused submit or publish."""

from __future__ import annotations

from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm

from ggzy.core.validators import ControlCharacterFormMixin

from .pagescreen import describe, page_findings

__all__ = ["ScreenedPageForm"]

# POST keys of the Wagtail editor's actions that send a page on its way.
_RELEASING_ACTIONS = ("action-publish", "action-submit", "action-restart-workflow", "action-workflow-action")


class ScreenedPageForm(ControlCharacterFormMixin, WagtailAdminPageForm):
    """A page form whose text is screened when the page is submitted or published."""

    def _releasing(self) -> bool:
        return any(self.data.get(action) for action in _RELEASING_ACTIONS)

    def _column_slug(self) -> str | None:
        parent = getattr(self, "parent_page", None)
        if parent is None and self.instance.pk:
            parent = self.instance.get_parent()
        return parent.slug if parent is not None else None

    def clean(self):
        cleaned = super().clean()
        # Blocking findings by field, for the editor's hook (screening.editor), which
        # cleans a copy of this form first and turns a refused release into a draft save.
        self.screening_blocked = {}
        if not self._releasing():
            return cleaned
        values = {name: cleaned.get(name) for name in self.fields if name in cleaned}
        for name, findings in page_findings(values, column_slug=self._column_slug()).items():
            blocking = [f for f in findings if f.blocking]
            if blocking:
                self.screening_blocked[name] = blocking
                self.add_error(name if name in self.fields else None, [describe(f) for f in blocking])
        if self.screening_blocked:
            # Reached only where the editor's hook did not save the draft instead
            # (a restarted workflow, a reviewer's action): nothing is saved.
            self.add_error(
                None,
                _(
                    "内容审查：发现阻止发布的问题（见各字段下的规则名称和命中内容），"
                    "未提交、未发布；本次修改尚未保存，请修改后重新提交，"
                    "或点“保存草稿”先保存。"
                ),
            )
        return cleaned
