"""Editor forms of notice pages (kept apart from forms.py, which imports the models)."""

from wagtail.admin.forms import WagtailAdminPageForm

from ggzy.core.validators import ControlCharacterFormMixin, check_form_text
from ggzy.portal.page_forms import SourceDepartmentFormMixin

from .validators import candidate_ranks_error


class NoticePageForm(SourceDepartmentFormMixin, ControlCharacterFormMixin, WagtailAdminPageForm):
    """Every notice's editor form: no control characters in its text, inline rows
    (candidates, attachments) included (issue 14 item 11); 信息来源 required; the
    owner field labelled as the notice's kind calls it (招标人, 采购人, 转让方)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        owner = self.fields.get("owner_name")
        if owner is not None and hasattr(self._meta.model, "owner_label"):
            owner.label = self._meta.model.owner_label()

    def is_valid(self):
        valid = super().is_valid()
        for formset in self.formsets.values():
            for form in formset.forms:
                if form.cleaned_data and not form.cleaned_data.get("DELETE") and not check_form_text(form):
                    valid = False
        return valid


class CandidatesNoticeForm(NoticePageForm):
    """Checks the inline candidates as a whole: ranks 1..n without gaps or repeats."""

    def is_valid(self):
        valid = super().is_valid()
        formset = self.formsets.get("candidates")
        if valid and formset is not None:
            ranks = [
                form.cleaned_data.get("rank")
                for form in formset.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")
            ]
            error = candidate_ranks_error(ranks)
            if error:
                self.add_error(None, error)
                return False
        return valid
