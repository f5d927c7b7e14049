from django import forms
from django.utils.translation import gettext_lazy as _

from ggzy.core.validators import ControlCharacterFormMixin

from .models import ConfigVersion, Device


class ChangeForm(ControlCharacterFormMixin, forms.Form):
    device = forms.ModelChoiceField(label=_("设备"), queryset=Device.objects.order_by("name"))
    summary = forms.CharField(label=_("变更内容"), max_length=300)
    reason = forms.CharField(label=_("变更原因"), widget=forms.Textarea(attrs={"rows": 3}))
    planned_at = forms.DateTimeField(
        label=_("计划时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    for_version = forms.ModelChoiceField(
        label=_("补登的配置版本"),
        queryset=ConfigVersion.objects.none(),
        required=False,
        help_text=_("为备份时发现的未经批准的变更补登记录时选择"),
    )
    late_reason = forms.CharField(
        label=_("补登原因"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import unapproved_versions

        self.fields["for_version"].queryset = unapproved_versions().order_by("device__name", "number")


class DecisionForm(ControlCharacterFormMixin, forms.Form):
    approve = forms.TypedChoiceField(
        label=_("审批"),
        choices=[("1", _("批准")), ("0", _("驳回"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("审批意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


MAX_CONFIG_BYTES = 5 * 1024 * 1024


class UploadForm(ControlCharacterFormMixin, forms.Form):
    """四(二): the configuration of a device that cannot be reached over SSH, as a file
    exported from it (or pasted)."""

    device = forms.ModelChoiceField(label=_("设备"), queryset=Device.objects.order_by("name"))
    running_file = forms.FileField(label=_("运行配置文件"), required=False)
    running = forms.CharField(
        label=_("或粘贴运行配置"), required=False, widget=forms.Textarea(attrs={"rows": 6}), strip=False
    )
    saved_file = forms.FileField(label=_("启动配置文件（可选）"), required=False)

    @staticmethod
    def _read(upload) -> str:
        if upload is None:
            return ""
        if upload.size > MAX_CONFIG_BYTES:
            raise forms.ValidationError(_("配置文件不能超过 5 MB。"))
        data = upload.read()
        for encoding in ("utf-8", "gb18030"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if "\x00" in text:
                break
            return text
        raise forms.ValidationError(_("配置文件不是文本文件（须为 UTF-8 或 GB18030 编码）。"))

    def clean(self):
        data = super().clean()
        # The files are read here (not as cleaned field values): a configuration has newlines.
        self.texts = {}
        for name in ("running_file", "saved_file"):
            try:
                self.texts[name] = self._read(data.get(name))
            except forms.ValidationError as exc:
                self.add_error(name, exc)
        running = (self.texts.get("running_file") or "").strip() or (data.get("running") or "").strip()
        if not running and not self.errors:
            raise forms.ValidationError(_("请上传或粘贴运行配置。"))
        return data


class InventoryImportForm(ControlCharacterFormMixin, forms.Form):
    upload = forms.FileField(
        label=_("设备清单文件（CSV 或 xlsx）"),
        help_text=_(
            "第一行为表头：设备名称（必填）、设备类型、厂商、型号、序列号、系统平台、管理地址、SSH端口、"
            "直接责任人（用户名或姓名）、关键设备（是/否）、面向互联网（是/否）、网段、机房、机柜/位置、"
            "软件版本、目标版本。CSV 可为 UTF-8 或 GBK 编码；上限 5 MB、5000 行。"
        ),
    )
    update_existing = forms.BooleanField(
        label=_("更新已有设备"),
        required=False,
        help_text=_("不选时，登记中已有的设备名称视为错误；选中时，以文件中非空的单元格更新已有设备。"),
    )
