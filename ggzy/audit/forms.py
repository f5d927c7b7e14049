from django import forms
from django.apps import apps
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ggzy.core.actions import registered_actions

from .choices import Outcome

_DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]


def _app_name(label: str) -> str:
    try:
        return str(apps.get_app_config(label).verbose_name)
    except LookupError:
        return label


def action_filter_choices(current: str = "") -> list:
    """The filter's actions by their Chinese labels (the catalogue, ``ggzy.core.actions``),
    grouped by app, each group led by "all of this app" (a prefix, ``app.``).

    Apps of ggzy and Wagtail with models get a group even without registered
    names: their admin edits are recorded under the model family
    (``ggzy/audit/audit_actions.py``). A prefix that is not an option (a link,
    a bookmark) stays selectable as it is.
    """
    groups: dict[str, list[tuple[str, str]]] = {}
    for action, (_registrant, label) in registered_actions().items():
        groups.setdefault(action.split(".", 1)[0], []).append((action, label))
    for config in apps.get_app_configs():
        if (config.name == "wagtail" or config.name.startswith(("ggzy.", "wagtail."))) and any(
            config.get_models()
        ):
            groups.setdefault(config.label, [])
    choices: list = [("", gettext("全部"))]
    offered = {f"{ns}." for ns in groups} | {a for options in groups.values() for a, _label in options}
    if current and current not in offered:
        choices.append((gettext("当前筛选"), [(current, gettext("前缀：%(prefix)s") % {"prefix": current})]))
    for ns in sorted(groups):
        name = _app_name(ns)
        options = [(f"{ns}.", gettext("%(app)s：全部操作") % {"app": name}), *groups[ns]]
        choices.append((f"{name}（{ns}）", options))
    return choices


class EventFilterForm(forms.Form):
    since = forms.DateTimeField(label=_("起始时间"), required=False, widget=_DT, input_formats=_DT_FORMATS)
    until = forms.DateTimeField(label=_("截止时间"), required=False, widget=_DT, input_formats=_DT_FORMATS)
    actor = forms.CharField(label=_("用户名"), required=False, max_length=150)
    # A registered action is matched exactly, anything else as a prefix (selectors.events_visible).
    action = forms.CharField(label=_("操作"), required=False, max_length=100, widget=forms.Select)
    outcome = forms.ChoiceField(label=_("结果"), required=False, choices=[("", _("全部")), *Outcome.choices])
    object = forms.CharField(label=_("对象"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = str(self.data.get("action", "")).strip() if self.is_bound else ""
        self.fields["action"].widget.choices = action_filter_choices(current)


class GrantRequestForm(forms.Form):
    purpose = forms.CharField(label=_("查阅目的"), widget=forms.Textarea(attrs={"rows": 3}))
    valid_from = forms.DateTimeField(label=_("授权生效时间"), widget=_DT, input_formats=_DT_FORMATS)
    valid_until = forms.DateTimeField(label=_("授权失效时间"), widget=_DT, input_formats=_DT_FORMATS)
    scope_action_prefix = forms.CharField(
        label=_("范围（操作前缀）"), required=False, max_length=100, help_text=_("留空表示全部操作")
    )
    scope_since = forms.DateTimeField(
        label=_("事件起始时间"), required=False, widget=_DT, input_formats=_DT_FORMATS
    )
    scope_until = forms.DateTimeField(
        label=_("事件截止时间"), required=False, widget=_DT, input_formats=_DT_FORMATS
    )


class GrantDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("批准")), ("reject", _("驳回"))])
    note = forms.CharField(label=_("审批意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(forms.Form):
    period_start = forms.DateTimeField(label=_("审查起始"), widget=_DT, input_formats=_DT_FORMATS)
    period_end = forms.DateTimeField(label=_("审查截止"), widget=_DT, input_formats=_DT_FORMATS)
    findings = forms.CharField(
        label=_("发现的问题及处理"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
