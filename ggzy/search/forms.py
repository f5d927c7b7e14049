"""The public search form: GET parameters checked, Chinese messages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Order, kind_choices
from .selectors import MAX_PAGE, MAX_QUERY_CHARS, column_choices


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("关键词"),
        required=False,
        max_length=MAX_QUERY_CHARS,
        error_messages={"max_length": _("搜索关键词不能超过%(limit_value)d个字。")},
    )
    column = forms.TypedChoiceField(label=_("栏目"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("信息类型"), required=False)
    date_from = forms.DateField(
        label=_("开始日期"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("开始日期格式应为YYYY-MM-DD。")},
    )
    date_to = forms.DateField(
        label=_("结束日期"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("结束日期格式应为YYYY-MM-DD。")},
    )
    order = forms.ChoiceField(label=_("排序"), required=False, choices=Order.CHOICES)
    page = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PAGE,
        error_messages={
            "invalid": _("页码必须是数字。"),
            "min_value": _("页码应在1到%(limit_value)s之间。") % {"limit_value": MAX_PAGE},
            "max_value": _("页码应在1到%(limit_value)s之间。") % {"limit_value": MAX_PAGE},
        },
    )

    def __init__(self, *args, columns=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = columns if columns is not None else column_choices()
        self.fields["column"].choices = [
            ("", _("全部栏目")),
            *((c.id, "\u3000" * (c.depth - 1) + c.title) for c in self.columns),
        ]
        self.fields["column"].error_messages["invalid_choice"] = _("所选栏目不存在。")
        self.fields["kind"].choices = [("", _("全部类型")), *kind_choices()]
        self.fields["kind"].error_messages["invalid_choice"] = _("信息类型无效。")
        self.fields["order"].error_messages["invalid_choice"] = _("排序方式无效。")

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("开始日期不能晚于结束日期。"))
        return data

    @property
    def has_criteria(self) -> bool:
        return any(self.data.get(name) for name in ("q", "column", "kind", "date_from", "date_to"))
