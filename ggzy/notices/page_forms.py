"""Editor forms of notice pages (kept apart from forms.py, which imports the models)."""

from wagtail.admin.forms import WagtailAdminPageForm

from ggzy.core.validators import ControlCharacterFormMixin, check_form_text

from .validators import candidate_ranks_error


class NoticePageForm(ControlCharacterFormMixin, WagtailAdminPageForm):
    """Every notice's editor form: no control characters in its text, inline rows
    (candidates, attachments) included (issue 14 item 11)."""

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
