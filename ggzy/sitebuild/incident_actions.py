"""sitebuild's playbook actions for incident response (ggzy.incidents.actions):
restore the public site from the database against the signed manifest — what
``verify_site --restore`` does (应急预案 第六条(三): 及时清理系统、恢复数据、程序)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ggzy.accounts.choices import RoleKey
from ggzy.incidents.actions import register_playbook_action

from .tamper import site_check


def site_restore(*, incident, actor, reason: str, target: str) -> str:
    result = site_check(restore=True)
    report = result.report
    if not result.intact:
        raise ValidationError(_("恢复后复查仍未完好，请检查发布目录和签名清单。"))
    if report.intact:
        return _("复查 %(n)d 个文件，完好，无需恢复") % {"n": report.files_checked}
    return _("已恢复：被修改 %(m)d、新增 %(a)d、缺失 %(x)d 个文件，复查完好（检查记录 #%(pk)s）") % {
        "m": len(report.modified),
        "a": len(report.added),
        "x": len(report.missing),
        "pk": result.record.pk,
    }


def register() -> None:
    register_playbook_action(
        "sitebuild.restore",
        gettext_lazy("从签名清单恢复网站（verify_site --restore）"),
        site_restore,
        roles=(RoleKey.WEBSITE_ADMIN, RoleKey.SECURITY_ADMIN),
    )
