"""Live compliance check homed in portal (registered in PortalConfig.ready()): every
column published within its policy's update limit (网站管理制度 第九条 and its 附表
《网站栏目信息发布分类》). portal owns ColumnPolicy and sits above publishing, whose
per-day counts it reads."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max
from django.db.models.functions import Length, Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page

from ggzy.compliance.choices import Status
from ggzy.compliance.models import Clause
from ggzy.compliance.registry import CheckResult, register_check
from ggzy.core.calendar import load_calendar, subtract_working_days
from ggzy.publishing.models import PublicationRecord
from ggzy.publishing.reports import published_per_day

from .choices import UpdateTimeLimit
from .models import ColumnPage, ColumnPolicy

# Items a column must publish each working day, by update limit (附表 更新时限).
# 实时更新 and 审核无误即时发布 are event-driven (publish when the item arises or
# is approved — the chain publishes on its last approval), with no daily minimum.
DAILY_MINIMUM = {UpdateTimeLimit.DAILY: 1, UpdateTimeLimit.DAILY_FOUR: 4}
POLICIES_URL = "/admin/column-policies/"


@register_check("wzgl.9", "wzgl.fb.8")
def columns_updated_in_time(*, today: dt.date) -> CheckResult:
    """Each live column whose limit is 每天更新 (1 a working day) or 每天更新发布4篇 (4)
    reached it on the last working day that ended (failing otherwise); a column
    still short today → due soon. One grouped count per such column (two in the
    center's tree)."""
    policies = list(
        ColumnPolicy.objects.filter(update_time_limit__in=list(DAILY_MINIMUM), column__live=True)
        .select_related("column")
        .order_by("column__path")[:50]
    )
    links = [(_("栏目发布要求"), POLICIES_URL)]
    if not policies:
        return CheckResult(Status.MET, _("没有规定每天更新篇数的栏目，其余栏目实时或审核后即时发布"), links)
    if not PublicationRecord.objects.exists():
        return CheckResult(Status.NO_DATA, _("尚无信息发布记录"), links)
    calendar = load_calendar()
    last = subtract_working_days(today, 1, calendar=calendar).date
    working_today = calendar.is_working_day(today)
    short_last, short_today = [], []
    for policy in policies:
        minimum = DAILY_MINIMUM[policy.update_time_limit]
        counts = published_per_day(
            first=last, after=today + dt.timedelta(days=1), page_path=policy.column.path
        )
        entry = {"column": policy.column.title, "n": counts[last], "today": counts[today], "minimum": minimum}
        if counts[last] < minimum:
            short_last.append(entry)
        elif working_today and counts[today] < minimum:
            short_today.append(entry)
    if short_last:
        return CheckResult(
            Status.FAILING,
            _("%(day)s 未达到更新时限：%(columns)s")
            % {
                "day": last.isoformat(),
                "columns": _("、").join(_("%(column)s %(n)s/%(minimum)s 篇") % entry for entry in short_last),
            },
            links,
        )
    if short_today:
        return CheckResult(
            Status.DUE_SOON,
            _("今天尚未达到更新时限：%(columns)s")
            % {
                "columns": _("、").join(
                    _("%(column)s 已发布 %(today)s/%(minimum)s 篇") % entry for entry in short_today
                )
            },
            links,
        )
    return CheckResult(
        Status.MET,
        _("%(day)s 各栏目均按更新时限发布：%(columns)s")
        % {"day": last.isoformat(), "columns": _("、").join(p.column.title for p in policies)},
        links,
    )


# --------------------------------------------------------------------------- inspection (政府网站检查指标)

# The rows of 附表《网站栏目信息发布分类》: each names a column by its title (the clause
# text's first cell) that must exist and carry content. 行业信息 (3.4) and 理论研究 (8)
# have daily quotas of their own (columns_updated_in_time, publishing's quota check).
COLUMN_CLAUSES = (
    "wzgl.fb.1",
    "wzgl.fb.2",
    "wzgl.fb.3",
    "wzgl.fb.3.1",
    "wzgl.fb.3.2",
    "wzgl.fb.3.3",
    "wzgl.fb.4",
    "wzgl.fb.5",
    "wzgl.fb.5.1",
    "wzgl.fb.5.2",
    "wzgl.fb.5.3",
    "wzgl.fb.5.4",
    "wzgl.fb.6",
    "wzgl.fb.6.1",
    "wzgl.fb.6.2",
    "wzgl.fb.6.3",
    "wzgl.fb.7",
    "wzgl.fb.7.1",
    "wzgl.fb.7.2",
    "wzgl.fb.7.3",
    "wzgl.fb.9",
    "wzgl.fb.9.1",
    "wzgl.fb.10",
    "wzgl.fb.11",
)
# 政府网站与政务新媒体检查指标: 通知公告 and 政策文件 columns not updated for 6 months fail.
NOTICE_AND_POLICY_COLUMNS = {"重要通知", "政策法规", "国家级", "省级", "市级"}
STALE_DAYS = 183
BLANK_VETO = 5  # 空白栏目 5 个以上：单项否决
HOME_WARN_DAYS, HOME_STALE_DAYS = 10, 14  # 首页栏目 2 周未更新：单项否决 (alert at day 10)
COLUMNS_URL = "/admin/pages/"


def _subtree_stats() -> tuple[list[dict], dict[str, tuple[int, dt.datetime | None]]]:
    """Live columns, and per parent path the live items directly under it (count, newest
    publication) — two queries for the whole site."""
    columns = list(ColumnPage.objects.live().values("path", "title"))
    steplen = Page.steplen
    rows = (
        Page.objects.live()
        .exclude(content_type=ContentType.objects.get_for_model(ColumnPage))
        .exclude(depth__lte=2)
        .order_by()  # Wagtail's manager orders by path, which would join the GROUP BY
        .annotate(parent=Substr("path", 1, Length("path") - steplen))
        .values("parent")
        .annotate(n=Count("id"), last=Max("last_published_at"))
    )
    return columns, {row["parent"]: (row["n"], row["last"]) for row in rows}


@register_check(*COLUMN_CLAUSES)
def columns_kept(*, today: dt.date) -> CheckResult:
    """附表《网站栏目信息发布分类》 and the inspection indicators: each column of the table
    exists and is not blank (空白栏目; five or more is a veto), and 通知公告/政策法规
    columns were updated within 6 months. One result per row of the table."""
    titles = {
        c.key: c.text.split("|")[0].strip()
        for c in Clause.objects.filter(key__in=COLUMN_CLAUSES).only("key", "text")
    }
    columns, by_parent = _subtree_stats()
    links = [(_("栏目"), COLUMNS_URL)]
    if not by_parent:  # nothing published yet: a site not yet opened, not a blank one
        return CheckResult(Status.NO_DATA, _("网站尚未发布信息"), links)
    stale_before = timezone.now() - dt.timedelta(days=STALE_DAYS)
    per_clause, blank = {}, []
    for key, title in titles.items():
        matches = [c for c in columns if c["title"] == title]
        if not matches:
            per_clause[key] = CheckResult(Status.FAILING, _("网站缺少栏目“%(t)s”") % {"t": title}, links)
            continue
        stats = [v for parent, v in by_parent.items() if any(parent.startswith(c["path"]) for c in matches)]
        count = sum(n for n, _last in stats)
        last = max((last for _n, last in stats if last), default=None)
        if count == 0:
            blank.append(title)
            per_clause[key] = CheckResult(Status.FAILING, _("栏目“%(t)s”为空白栏目") % {"t": title}, links)
        elif title in NOTICE_AND_POLICY_COLUMNS and (last is None or last < stale_before):
            per_clause[key] = CheckResult(
                Status.FAILING,
                _("栏目“%(t)s”超过 6 个月未更新（最近 %(d)s）")
                % {"t": title, "d": timezone.localtime(last).date().isoformat() if last else "—"},
                links,
            )
        else:
            per_clause[key] = CheckResult(
                Status.MET,
                _("栏目“%(t)s”共 %(n)d 条，最近更新 %(d)s")
                % {"t": title, "n": count, "d": timezone.localtime(last).date().isoformat() if last else "—"},
                links,
            )
    failing = [r for r in per_clause.values() if r.status == Status.FAILING]
    if not per_clause:
        return CheckResult(Status.NO_DATA, _("尚未载入栏目分类表"), links)
    if failing:
        veto = _("，已达单项否决（≥%(n)d 个）") % {"n": BLANK_VETO} if len(blank) >= BLANK_VETO else ""
        summary = _("%(f)d 个栏目不符合，其中空白栏目 %(b)d 个%(veto)s") % {
            "f": len(failing),
            "b": len(blank),
            "veto": veto,
        }
        return CheckResult(Status.FAILING, summary, links, per_clause=per_clause)
    return CheckResult(
        Status.MET, _("%(n)d 个栏目均有内容并按时更新") % {"n": len(per_clause)}, links, per_clause=per_clause
    )


@register_check("wzgl.9")
def home_updated(*, today: dt.date) -> CheckResult:
    """政府网站检查指标: the home page's columns not updated for two weeks is a veto; the
    warning comes at day 10. Read from the newest publication of any live item."""
    last = (
        Page.objects.live()
        .exclude(content_type=ContentType.objects.get_for_model(ColumnPage))
        .exclude(depth__lte=2)
        .aggregate(m=Max("last_published_at"))["m"]
    )
    links = [(_("栏目"), COLUMNS_URL)]
    if last is None:
        return CheckResult(Status.NO_DATA, _("网站尚未发布信息"), links)
    days = (today - timezone.localtime(last).date()).days
    detail = _("首页最近更新 %(d)s（%(n)d 天前）") % {
        "d": timezone.localtime(last).date().isoformat(),
        "n": days,
    }
    if days >= HOME_STALE_DAYS:
        return CheckResult(Status.FAILING, detail + _("，超过两周未更新（单项否决）"), links)
    if days >= HOME_WARN_DAYS:
        return CheckResult(Status.DUE_SOON, detail + _("，满两周将单项否决"), links)
    return CheckResult(Status.MET, detail, links)


# --------------------------------------------------------------------------- site identity

IDENTITY_URL = "/admin/site-identity/"


@register_check("wzgl.15")
def site_identity_complete(*, today: dt.date) -> CheckResult:
    """网站管理制度 第十五条 (网站备案) and 政府网站发展指引 (网站标识): the identity every
    public footer carries — 主办/承办单位, 联系方式, 网站标识码, ICP and 公安机关备案号 — is
    filled in (设置 › 网站标识), and Wagtail's default Site carries its domain, so that the
    sitemap, feeds and e-mail links give the real address. Two queries."""
    from wagtail.models import Site

    from .models import SiteIdentity

    links = [(_("网站标识"), IDENTITY_URL)]
    identity = SiteIdentity.objects.order_by("pk").first()
    if identity is None:
        return CheckResult(Status.FAILING, _("网站标识尚未填写（主办单位、联系方式、备案号等）"), links)
    missing = identity.missing()
    if missing:
        return CheckResult(
            Status.FAILING, _("网站标识缺少：%(fields)s") % {"fields": _("、").join(missing)}, links
        )
    site = Site.objects.filter(is_default_site=True).first()
    host = identity.domain.partition(":")[0]
    if site is None or site.hostname != host:
        return CheckResult(
            Status.FAILING,
            _("网站的主机名（%(host)s）与网站域名 %(domain)s 不一致，站点地图和订阅链接地址有误")
            % {"host": site.hostname if site else "—", "domain": identity.domain},
            links,
        )
    return CheckResult(
        Status.MET,
        _("网站标识齐全：%(name)s（%(domain)s），ICP 备案号 %(icp)s，公安机关备案号 %(police)s")
        % {
            "name": identity.site_name,
            "domain": identity.domain,
            "icp": identity.icp_number,
            "police": identity.police_number,
        },
        links,
    )


# --------------------------------------------------------------------------- 办事指南 completeness

# 政府网站与政务新媒体检查指标 (办事服务): every guide carries these elements, each by its
# name or a common synonym (as a heading or a table label in the guide's text).
GUIDE_ELEMENTS = (
    (gettext_lazy("事项名称"), ("事项名称",)),
    (gettext_lazy("设定依据"), ("设定依据", "办理依据", "法律依据")),
    (gettext_lazy("申请条件"), ("申请条件", "受理条件", "办理条件")),
    (gettext_lazy("办理材料"), ("办理材料", "申请材料", "所需材料", "提交材料")),
    (gettext_lazy("办理地点"), ("办理地点", "受理地点", "办公地点")),
    (gettext_lazy("办理时间"), ("办理时间", "受理时间", "办公时间")),
    (gettext_lazy("联系电话"), ("联系电话", "咨询电话")),
    (gettext_lazy("办理流程"), ("办理流程", "办事流程", "业务流程")),
)
GUIDES_LISTED = 10


def guide_missing(text: str) -> list[str]:
    """The elements a guide's text lacks (GUIDE_ELEMENTS)."""
    return [str(name) for name, words in GUIDE_ELEMENTS if not any(word in text for word in words)]


@register_check("wzgl.fb.6")
def guides_complete(*, today: dt.date) -> CheckResult:
    """办事指南 completeness: every live article in a 办事指南 column (ColumnType.GUIDE)
    has 事项名称, 设定依据, 申请条件, 办理材料, 办理地点, 办理时间, 联系电话 and 办理流程.
    Two queries (the guide columns, their live articles' bodies)."""
    from django.db.models import Q
    from django.utils.html import strip_tags

    from .choices import ColumnType
    from .models import ArticlePage

    links = [(_("栏目"), COLUMNS_URL)]
    paths = list(
        ColumnPolicy.objects.filter(column_type=ColumnType.GUIDE, column__live=True).values_list(
            "column__path", flat=True
        )
    )
    if not paths:
        return CheckResult(Status.NO_DATA, _("没有办事指南栏目"), links)
    within = Q()
    for path in paths:
        within |= Q(path__startswith=path)
    guides = list(ArticlePage.objects.live().filter(within).order_by("path").values_list("title", "body"))
    if not guides:
        return CheckResult(Status.NO_DATA, _("办事指南栏目尚未发布指南"), links)
    incomplete = [(title, missing) for title, body in guides if (missing := guide_missing(strip_tags(body)))]
    if incomplete:
        listed = _("；").join(
            _("《%(title)s》缺%(missing)s") % {"title": title, "missing": _("、").join(missing)}
            for title, missing in incomplete[:GUIDES_LISTED]
        )
        return CheckResult(
            Status.FAILING,
            _("%(n)d/%(total)d 篇办事指南要素不全：%(list)s")
            % {"n": len(incomplete), "total": len(guides), "list": listed},
            links,
        )
    return CheckResult(Status.MET, _("%(n)d 篇办事指南要素齐全") % {"n": len(guides)}, links)
