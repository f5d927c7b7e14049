"""sitebuild's playbook actions for incident response (ggzy.incidents.actions):
take the public site down to the maintenance page (应急预案 第六条(一) 断开网络,
第四条(一) 终止不良信息传播); restore it from the database against the signed
manifest — what ``verify_site --restore`` does (第六条(三): 及时清理系统、恢复数据、
程序); and put it back online once it verifies intact."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ggzy.accounts.choices import RoleKey
from ggzy.incidents.actions import register_playbook_action

from .maintenance import site_bring_back, site_take_down
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


def site_takedown(*, incident, actor, reason: str, target: str) -> str:
    if not site_take_down(actor=actor, reason=reason, notice=target, incident=incident):
        return _("网站已处于维护状态，维护页未改动")
    return _("网站已下线：公开页面返回维护页（HTTP 503），后台和数据接口照常")


def site_online(*, incident, actor, reason: str, target: str) -> str:
    result = site_check(restore=False)
    if not site_bring_back(actor=actor, reason=reason, verified_intact=result.intact, incident=incident):
        return _("网站本在对外服务，复查 %(n)d 个文件完好") % {"n": result.report.files_checked}
    return _("复查 %(n)d 个文件完好，网站已恢复对外服务") % {"n": result.report.files_checked}


def register() -> None:
    register_playbook_action(
        "sitebuild.takedown",
        gettext_lazy("网站下线，公开页面改为维护页"),
        site_takedown,
        roles=(RoleKey.WEBSITE_ADMIN, RoleKey.SECURITY_ADMIN),
        target_label=gettext_lazy("对外公告（可留空）"),
        target_optional=True,
    )
    register_playbook_action(
        "sitebuild.online",
        gettext_lazy("复查完好后恢复对外服务（撤下维护页）"),
        site_online,
        roles=(RoleKey.WEBSITE_ADMIN, RoleKey.SECURITY_ADMIN),
    )
    register_playbook_action(
        "sitebuild.restore",
        gettext_lazy("从签名清单恢复网站（verify_site --restore）"),
        site_restore,
        roles=(RoleKey.WEBSITE_ADMIN, RoleKey.SECURITY_ADMIN),
    )
