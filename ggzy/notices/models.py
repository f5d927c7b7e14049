"""Trading announcements (交易公告公示, 网站栏目信息发布分类 5.x) as structured
pages, and the intake API's tokens and call log.

Field names follow the national 公共资源交易平台系统数据规范 where it has one.
Every notice page is governed (GovernedPageMixin): it goes live only through its
column's chain, the 交易公告公示发布流程 (信息传递制度 (二)).
"""

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from ggzy.portal.choices import choice_label, enum_label, field_label
from ggzy.portal.models import ARTICLE_FEATURES, ColumnPage
from ggzy.portal.selectors import column_of, policy_for_page
from ggzy.portal.slugs import ReadableSlugMixin
from ggzy.publishing.permissions import ColumnItem, GovernedPageMixin

from .choices import (
    KIND_COLUMNS,
    KIND_STAGES,
    OWNER_LABELS,
    MoneyUnit,
    NoticeKind,
    kind_department,
    trade_type_of,
)
from .formats import format_amount, format_size
from .page_forms import CandidatesNoticeForm, NoticePageForm
from .periods import check_statutory_periods
from .validators import validate_credit_code

__all__ = [
    "ApiCallLog",
    "ApiToken",
    "Candidate",
    "CandidatesNotice",
    "ConstructionResultNotice",
    "ConstructionTenderNotice",
    "IntakeNotice",
    "LandGrantNotice",
    "LandResultNotice",
    "NoticePage",
    "PrequalificationNotice",
    "ProcurementChangeNotice",
    "ProcurementResultNotice",
    "ProcurementTenderNotice",
    "PropertyResultNotice",
    "PropertyTransferNotice",
]


def _money(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=16, decimal_places=2, **kwargs)


def _unit(verbose_name=None):
    return models.CharField(
        verbose_name or _("金额单位"), max_length=10, choices=MoneyUnit.choices, default=MoneyUnit.WAN_YUAN
    )


# --------------------------------------------------------------------------- the common core


class NoticePage(ReadableSlugMixin, ColumnItem, GovernedPageMixin, Page):
    """The core every announcement shares (项目、招标人/采购人/转让方、代理机构、正文、附件)."""

    kind: ClassVar[str]
    base_form_class = NoticePageForm  # no control characters in text (issue 14 item 11)

    project_code = models.CharField(_("项目编号"), max_length=64, db_index=True)
    section_code = models.CharField(_("标段（包）编号"), max_length=64, blank=True)
    project_name = models.CharField(_("项目名称"), max_length=200)
    owner_name = models.CharField(_("招标人/采购人/转让方"), max_length=200)
    owner_credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, validators=[validate_credit_code]
    )
    agency_name = models.CharField(_("代理机构"), max_length=200, blank=True)
    contact = models.CharField(_("联系方式"), max_length=200, blank=True)
    # 附表 column policy: every item names its 信息来源 (the drafter's department by default).
    source_department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("信息来源"),
        help_text=_("发布信息的科室；默认为起草人所在科室。"),
    )
    announced_at = models.DateTimeField(
        _("公告发布时间"), null=True, blank=True, help_text=_("计划发布时间；留空以实际发布时间为准。")
    )
    body = RichTextField(_("公告正文"), features=ARTICLE_FEATURES, blank=True)
    attachments = StreamField(
        [("document", DocumentChooserBlock(label=_("附件")))], blank=True, verbose_name=_("附件")
    )

    parent_page_types = ["portal.ColumnPage"]
    subpage_types: ClassVar[list[str]] = []
    search_fields = [
        *Page.search_fields,
        index.SearchField("project_name"),
        index.SearchField("body"),
        index.FilterField("project_code"),
    ]

    core_panels: ClassVar[list] = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("project_code"), FieldPanel("section_code")]),
                FieldPanel("project_name"),
                FieldRowPanel([FieldPanel("owner_name"), FieldPanel("owner_credit_code")]),
                FieldRowPanel([FieldPanel("agency_name"), FieldPanel("contact")]),
                FieldRowPanel([FieldPanel("source_department"), FieldPanel("announced_at")]),
            ],
            heading=_("项目信息"),
        ),
    ]
    tail_panels: ClassVar[list] = [FieldPanel("body"), FieldPanel("attachments")]
    # Kind-specific fields shown on the public page, in order.
    detail_fields: ClassVar[list[str]] = []
    # (start, end, label): a span shown as one row "start 至 end" (公示期, 挂牌期, …).
    period_fields: ClassVar[list[tuple[str, str, str]]] = []
    # Money fields and the field holding their unit.
    money_units: ClassVar[dict[str, str]] = {}
    # The public template asks every notice for these; only a change notice
    # (changed_notice) and a candidates notice (candidates) have them. A lookup
    # that misses costs the template a dir() of the page (issue 8, build time).
    changed_notice = None
    candidates = None

    class Meta:
        abstract = True

    def get_template(self, request, *args, **kwargs):
        # One template for every kind (Wagtail would derive one name per model).
        return "notices/notice_page.html"

    # -- where it lives

    @classmethod
    def column_path(cls) -> str:
        return KIND_COLUMNS[cls.kind]

    @classmethod
    def is_its_column(cls, parent) -> bool:
        return parent is not None and parent.url_path.rstrip("/").endswith("/" + cls.column_path())

    @classmethod
    def can_create_at(cls, parent):
        # 网站栏目信息发布分类 5.x: each kind of announcement has its own column.
        return super().can_create_at(parent) and cls.is_its_column(parent)

    def can_move_to(self, parent):
        return super().can_move_to(parent) and self.is_its_column(parent)

    @cached_property
    def column(self) -> ColumnPage | None:

        return column_of(self)

    @cached_property
    def effective_policy(self):

        return policy_for_page(self)

    @property
    def content_source(self) -> str:
        """信息来源 (附表 column policy): the department that publishes it."""
        if self.source_department_id:
            return self.source_department.name
        return self.owner_name

    @property
    def kind_label(self) -> str:
        return enum_label(NoticeKind, self.kind)

    @property
    def trade_type(self) -> str:
        return trade_type_of(self.kind)

    @property
    def stage(self) -> str:
        return KIND_STAGES[self.kind]

    @classmethod
    def owner_label(cls) -> str:
        """招标人 on a tender, 采购人 on procurement, 转让方 on property, 出让人 on land."""
        return str(OWNER_LABELS[trade_type_of(cls.kind)])

    @property
    def owner_field_label(self) -> str:
        return self.owner_label()

    @property
    def project_url(self) -> str:
        """The project view: every notice of this project code on one page."""
        from .projects import project_url

        return project_url(self.project_code)

    # -- statutory periods

    @property
    def publication_date(self) -> dt.date:
        """The real publication day once live, else the planned one, else today."""
        if self.live and self.last_published_at:
            return timezone.localtime(self.last_published_at).date()
        if self.announced_at:
            return timezone.localtime(self.announced_at).date()
        return timezone.localdate()

    def clean(self):
        super().clean()
        parent = self.get_parent() if self.pk or self.path else None
        if parent is not None and not self.is_its_column(parent):
            raise ValidationError(_("%(kind)s只能发布在对应栏目下。") % {"kind": self.kind_label})
        if self.owner_credit_code:
            self.owner_credit_code = self.owner_credit_code.strip().upper()
        if not self.source_department_id:
            self.source_department = self.default_source_department()
        # On every save, submission (the editor validates the form) and publication
        # (Wagtail's publish saves with full_clean).
        check_statutory_periods(self)

    def default_source_department(self):
        """信息来源 when none was chosen: the drafter's department, else the 科室 that
        sends this kind of notice (交易科室)."""
        from ggzy.accounts.models import Department

        owner = self.owner if self.owner_id else None
        if owner is not None and getattr(owner, "department_id", None):
            return owner.department
        return Department.objects.filter(code=kind_department(self.kind)).first()

    # -- public page

    def display_value(self, name: str) -> str:
        """A field as people write it: dates, times, money with its unit."""
        field = self._meta.get_field(name)
        value = getattr(self, name)
        if value in (None, ""):
            return ""
        if name in self.money_units:
            return format_amount(value, getattr(self, self.money_units[name]))
        if field.choices:
            return str(choice_label(field, value))
        if isinstance(value, dt.datetime):
            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        if isinstance(value, dt.date):
            return value.isoformat()
        return f"{value}{self._unit_for(name)}"

    def detail_items(self) -> list[tuple[str, object]]:
        """(label, display value) of the kind's structured fields, for the template;
        a period's two ends as one row (公示期：2026-12-04 至 2026-12-07)."""
        periods = {start: (end, label) for start, end, label in self.period_fields}
        ends = {end for _start, end, _label in self.period_fields}
        items = []
        for name in self.detail_fields:
            if name in ends:
                continue
            if name in periods:
                end, label = periods[name]
                span = self.period_text(name, end)
                if span:
                    items.append((str(label), span))
                continue
            value = self.display_value(name)
            if value:
                items.append((field_label(self._meta.get_field(name)), value))
        return items

    def period_text(self, start: str, end: str) -> str:
        first, last = self.display_value(start), self.display_value(end)
        if first and last:
            return _("%(first)s 至 %(last)s") % {"first": first, "last": last}
        return first or last

    def key_dates(self) -> list[tuple[str, str]]:
        """What a bidder looks for first, shown plainly above the table: the
        statutory period (公示期, 挂牌期) and the bid deadline and opening."""
        rows = [
            (str(label), self.period_text(start, end))
            for start, end, label in self.period_fields
            if start not in {"pickup_start"}
        ]
        for name in ("bid_deadline", "bid_opening", "bid_opening_room"):
            if name in self.detail_fields:
                rows.append((field_label(self._meta.get_field(name)), self.display_value(name)))
        return [(label, value) for label, value in rows if value]

    def attachment_rows(self) -> list[dict]:
        """The attachments with their type and size (PDF，1.2 MB)."""
        rows = []
        for block in self.attachments:
            document = block.value
            if document is None:
                continue
            size = document.file_size
            if size is None:
                try:
                    size = document.file.size
                except (OSError, ValueError):
                    size = None
            rows.append(
                {
                    "title": document.title,
                    "url": document.url,
                    "type": (document.file_extension or "").upper(),
                    "size": format_size(size) if size is not None else "",
                }
            )
        return rows

    def _display(self, name: str) -> str:
        """``get_<name>_display()``, the label read once (portal.choices.choice_label)."""
        return choice_label(self._meta.get_field(name), getattr(self, name))

    def _unit_for(self, name: str) -> str:
        if name in {"budget"}:
            return self._display("budget_unit")
        if name in {"award_amount", "control_price"}:
            return self._display("amount_unit")
        if name in {"starting_price", "reserve_price", "deposit", "transaction_price"}:
            return self._display("price_unit")
        if name == "area":
            return _("平方米")
        return ""


# --------------------------------------------------------------------------- field groups


class TenderFields(models.Model):
    """招标/采购公告: document pickup, bid deadline and opening, budget."""

    pickup_start = models.DateTimeField(_("招标文件获取开始时间"))
    pickup_end = models.DateTimeField(_("招标文件获取截止时间"))
    bid_deadline = models.DateTimeField(_("投标截止时间"))
    bid_opening = models.DateTimeField(_("开标时间"), null=True, blank=True)
    bid_opening_room = models.CharField(
        _("开标地点"), max_length=100, blank=True, help_text=_("如：中心三楼第一开标室。")
    )
    budget = _money(_("预算金额/投资估算"), null=True, blank=True)
    budget_unit = _unit()

    detail_fields: ClassVar[list[str]] = [
        "pickup_start",
        "pickup_end",
        "bid_deadline",
        "bid_opening",
        "bid_opening_room",
        "budget",
    ]
    period_fields: ClassVar[list] = [("pickup_start", "pickup_end", _("招标文件获取时间"))]
    money_units: ClassVar[dict] = {"budget": "budget_unit"}
    group_panels: ClassVar[list] = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("pickup_start"), FieldPanel("pickup_end")]),
                FieldRowPanel([FieldPanel("bid_deadline"), FieldPanel("bid_opening")]),
                FieldPanel("bid_opening_room"),
                FieldRowPanel([FieldPanel("budget"), FieldPanel("budget_unit")]),
            ],
            heading=_("招标文件与投标"),
        )
    ]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.pickup_start and self.pickup_end and self.pickup_end < self.pickup_start:
            raise ValidationError({"pickup_end": _("招标文件获取截止时间不能早于开始时间。")})
        if self.bid_deadline and self.bid_opening and self.bid_opening < self.bid_deadline:
            # 招标投标法 第三十四条: opening at the deadline's time.
            raise ValidationError({"bid_opening": _("开标时间不能早于投标截止时间。")})


class PublicityFields(models.Model):
    """公示: publicity period and how to object (异议方式)."""

    publicity_start = models.DateField(_("公示开始日期"))
    publicity_end = models.DateField(_("公示结束日期"))
    objection_method = models.TextField(_("异议方式"), blank=True)

    detail_fields: ClassVar[list[str]] = ["publicity_start", "publicity_end", "objection_method"]
    period_fields: ClassVar[list] = [("publicity_start", "publicity_end", _("公示期"))]
    group_panels: ClassVar[list] = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("publicity_start"), FieldPanel("publicity_end")]),
                FieldPanel("objection_method"),
            ],
            heading=_("公示"),
        )
    ]

    class Meta:
        abstract = True


class AwardFields(models.Model):
    """结果: winner, amount and award date."""

    winner_name = models.CharField(_("中标（成交）人"), max_length=200)
    award_amount = _money(_("中标（成交）金额"))
    amount_unit = _unit()
    award_date = models.DateField(_("中标（成交）确定日期"))

    detail_fields: ClassVar[list[str]] = ["winner_name", "award_amount", "award_date"]
    money_units: ClassVar[dict] = {"award_amount": "amount_unit"}
    group_panels: ClassVar[list] = [
        MultiFieldPanel(
            [
                FieldPanel("winner_name"),
                FieldRowPanel([FieldPanel("award_amount"), FieldPanel("amount_unit")]),
                FieldPanel("award_date"),
            ],
            heading=_("中标（成交）结果"),
        )
    ]

    class Meta:
        abstract = True


class ListingFields(models.Model):
    """产权转让/土地出让公告: the parcel or asset and its listing."""

    subject_name = models.CharField(_("宗地编号/标的名称"), max_length=200)
    location = models.CharField(_("坐落位置"), max_length=200, blank=True)
    area = models.DecimalField(_("面积"), max_digits=14, decimal_places=2, null=True, blank=True)
    land_use = models.CharField(_("用途"), max_length=100, blank=True)
    starting_price = _money(_("起始价/挂牌价"))
    reserve_price = _money(_("保留价"), null=True, blank=True)
    deposit = _money(_("竞买保证金"), null=True, blank=True)
    price_unit = _unit()
    listing_start = models.DateField(_("挂牌开始日期"))
    listing_end = models.DateField(_("挂牌截止日期"))

    detail_fields: ClassVar[list[str]] = [
        "subject_name",
        "location",
        "area",
        "land_use",
        "starting_price",
        "reserve_price",
        "deposit",
        "listing_start",
        "listing_end",
    ]
    period_fields: ClassVar[list] = [("listing_start", "listing_end", _("挂牌期"))]
    money_units: ClassVar[dict] = {
        "starting_price": "price_unit",
        "reserve_price": "price_unit",
        "deposit": "price_unit",
    }
    group_panels: ClassVar[list] = [
        MultiFieldPanel(
            [
                FieldPanel("subject_name"),
                FieldRowPanel([FieldPanel("location"), FieldPanel("area"), FieldPanel("land_use")]),
                FieldRowPanel(
                    [
                        FieldPanel("starting_price"),
                        FieldPanel("reserve_price"),
                        FieldPanel("deposit"),
                        FieldPanel("price_unit"),
                    ]
                ),
                FieldRowPanel([FieldPanel("listing_start"), FieldPanel("listing_end")]),
            ],
            heading=_("标的与挂牌"),
        )
    ]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.listing_start and self.listing_end and self.listing_end < self.listing_start:
            raise ValidationError({"listing_end": _("挂牌截止日期不能早于开始日期。")})


class DealFields(models.Model):
    """成交/结果公示: transaction price and transferee."""

    subject_name = models.CharField(_("宗地编号/标的名称"), max_length=200)
    transaction_price = _money(_("成交价"))
    price_unit = _unit()
    transferee = models.CharField(_("受让人/竞得人"), max_length=200)
    transaction_date = models.DateField(_("成交日期"))

    detail_fields: ClassVar[list[str]] = [
        "subject_name",
        "transaction_price",
        "transferee",
        "transaction_date",
    ]
    money_units: ClassVar[dict] = {"transaction_price": "price_unit"}
    group_panels: ClassVar[list] = [
        MultiFieldPanel(
            [
                FieldPanel("subject_name"),
                FieldRowPanel([FieldPanel("transaction_price"), FieldPanel("price_unit")]),
                FieldRowPanel([FieldPanel("transferee"), FieldPanel("transaction_date")]),
            ],
            heading=_("成交结果"),
        )
    ]

    class Meta:
        abstract = True


# --------------------------------------------------------------------------- the kinds


def _kind_meta(kind: NoticeKind) -> type:
    """The Meta of a notice page class: its names are its kind's label."""
    return type("Meta", (), {"verbose_name": kind.label, "verbose_name_plural": kind.label})


def _panels(*groups):
    return [*NoticePage.core_panels, *(p for g in groups for p in g), *NoticePage.tail_panels]


class ConstructionTenderNotice(TenderFields, NoticePage):  # noqa: DJ008 (Page.__str__ gives the title)
    """建设工程招标公告."""

    kind = NoticeKind.CONSTRUCTION_TENDER
    detail_fields = TenderFields.detail_fields
    content_panels = _panels(TenderFields.group_panels)

    Meta = _kind_meta(kind)


class PrequalificationNotice(PublicityFields, NoticePage):  # noqa: DJ008 (Page.__str__ gives the title)
    """拦标价、资格预审公示."""

    kind = NoticeKind.CONSTRUCTION_PREQUALIFICATION
    control_price = _money(_("拦标价（最高投标限价）"), null=True, blank=True)
    amount_unit = _unit()
    detail_fields = ["control_price", *PublicityFields.detail_fields]
    money_units: ClassVar[dict] = {"control_price": "amount_unit"}
    content_panels = _panels(
        [FieldRowPanel([FieldPanel("control_price"), FieldPanel("amount_unit")])],
        PublicityFields.group_panels,
    )

    Meta = _kind_meta(kind)


class CandidatesNotice(PublicityFields, NoticePage):  # noqa: DJ008 (Page.__str__ gives the title)
    """中标候选人公示 (招标投标法实施条例 第五十四条): candidates 1–3."""

    kind = NoticeKind.CONSTRUCTION_CANDIDATES
    base_form_class = CandidatesNoticeForm
    detail_fields = PublicityFields.detail_fields
    content_panels = _panels(
        PublicityFields.group_panels,
        [InlinePanel("candidates", heading=_("中标候选人"), label=_("候选人"), min_num=1, max_num=3)],
    )

    Meta = _kind_meta(kind)


class Candidate(Orderable):
    """One 中标候选人 with its rank, bid price and project lead (项目负责人)."""

    notice = ParentalKey(CandidatesNotice, on_delete=models.CASCADE, related_name="candidates")
    rank = models.PositiveSmallIntegerField(
        _("排名"), choices=[(1, _("第一名")), (2, _("第二名")), (3, _("第三名"))]
    )
    name = models.CharField(_("候选人名称"), max_length=200)
    price = _money(_("投标报价（元）"))
    project_lead = models.CharField(_("项目负责人"), max_length=100, blank=True)

    panels = [FieldPanel("rank"), FieldPanel("name"), FieldPanel("price"), FieldPanel("project_lead")]

    @property
    def price_display(self) -> str:
        return format_amount(self.price, MoneyUnit.YUAN)

    class Meta(Orderable.Meta):
        verbose_name = _("中标候选人")
        verbose_name_plural = _("中标候选人")


class ConstructionResultNotice(AwardFields, NoticePage):  # noqa: DJ008 (Page.__str__ gives the title)
    """建设工程中标结果公示."""

    kind = NoticeKind.CONSTRUCTION_RESULT
    detail_fields = AwardFields.detail_fields
    content_panels = _panels(AwardFields.group_panels)

    Meta = _kind_meta(kind)


class ProcurementTenderNotice(TenderFields, NoticePage):  # noqa: DJ008 (Page.__str__ gives the title)
    """政府采购公告."""

    kind = NoticeKind.PROCUREMENT_TENDER
    detail_fields = TenderFields.detail_fields
    content_panels = _panels(TenderFields.group_panels)

    Meta = _kind_meta(kind)


class ProcurementChangeNotice(NoticePage):
    """政府采购变更（更正）公告: links to the notice it changes; may move the deadline."""

    kind = NoticeKind.PROCUREMENT_CHANGE
    changed_notice = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.PROTECT,
        related_name="change_notices",
        verbose_name=_("被变更的公告"),
    )
    change_summary = models.TextField(_("变更内容"), blank=True)
    bid_deadline = models.DateTimeField(_("变更后投标截止时间"), null=True, blank=True)
    bid_opening = models.DateTimeField(_("变更后开标时间"), null=True, blank=True)
    bid_opening_room = models.CharField(_("变更后开标地点"), max_length=100, blank=True)
    detail_fields = ["change_summary", "bid_deadline", "bid_opening", "bid_opening_room"]
    content_panels = _panels(
        [
            MultiFieldPanel(
                [
                    FieldPanel("changed_notice", heading=_("被变更的公告")),
                    FieldPanel("change_summary"),
                    FieldRowPanel([FieldPanel("bid_deadline"), FieldPanel("bid_opening")]),
                    FieldPanel("bid_opening_room"),
                ],
                heading=_("变更"),
            )
        ]
    )

    Meta = _kind_meta(kind)

    def clean(self):
        super().clean()
        if self.changed_notice_id:
            original = Page.objects.filter(pk=self.changed_notice_id).first()
            specific_class = original.specific_class if original else None
            if specific_class is None or not issubclass(specific_class, NoticePage):
                raise ValidationError({"changed_notice": _("被变更的公告必须是一条交易公告。")})


class ProcurementResultNotice(AwardFields, NoticePage):  # noqa: DJ008 (Page.__str__ gives the title)
    """政府采购结果公告 (政府采购法实施条例 第四十三条)."""

    kind = NoticeKind.PROCUREMENT_RESULT
    detail_fields = AwardFields.detail_fields
    content_panels = _panels(AwardFields.group_panels)

    Meta = _kind_meta(kind)


class PropertyTransferNotice(ListingFields, NoticePage):  # noqa: DJ008 (Page.__str__ gives the title)
    """产权转让公告."""

    kind = NoticeKind.PROPERTY_TRANSFER
    detail_fields = ListingFields.detail_fields
    content_panels = _panels(ListingFields.group_panels)

    Meta = _kind_meta(kind)


class PropertyResultNotice(DealFields, NoticePage):  # noqa: DJ008 (Page.__str__ gives the title)
    """产权交易成交公示."""

    kind = NoticeKind.PROPERTY_RESULT
    detail_fields = DealFields.detail_fields
    content_panels = _panels(DealFields.group_panels)

    Meta = _kind_meta(kind)


class LandGrantNotice(ListingFields, NoticePage):  # noqa: DJ008 (Page.__str__ gives the title)
    """国有土地使用权出让公告."""

    kind = NoticeKind.LAND_GRANT
    detail_fields = ListingFields.detail_fields
    content_panels = _panels(ListingFields.group_panels)

    Meta = _kind_meta(kind)


class LandResultNotice(DealFields, NoticePage):  # noqa: DJ008 (Page.__str__ gives the title)
    """国有土地使用权出让结果公示."""

    kind = NoticeKind.LAND_RESULT
    detail_fields = DealFields.detail_fields
    content_panels = _panels(DealFields.group_panels)

    Meta = _kind_meta(kind)


NOTICE_MODELS: dict[str, type[NoticePage]] = {
    m.kind: m
    for m in (
        ConstructionTenderNotice,
        PrequalificationNotice,
        CandidatesNotice,
        ConstructionResultNotice,
        ProcurementTenderNotice,
        ProcurementChangeNotice,
        ProcurementResultNotice,
        PropertyTransferNotice,
        PropertyResultNotice,
        LandGrantNotice,
        LandResultNotice,
    )
}


# --------------------------------------------------------------------------- intake API


class ApiToken(models.Model):
    """A per-system token of the intake API (信息传递制度 (二)).

    Only the SHA-256 of the token is stored; its prefix identifies it in lists.
    Scoped to the kinds it may send; revoked, never deleted.
    """

    name = models.CharField(_("名称"), max_length=100, unique=True)
    prefix = models.CharField(_("令牌前缀"), max_length=16, unique=True, editable=False)
    token_hash = models.CharField(_("令牌摘要（SHA-256）"), max_length=64, unique=True, editable=False)
    kinds = models.JSONField(_("允许推送的公告类型"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用时间"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def allows(self, kind: str) -> bool:
        return kind in (self.kinds or [])


class IntakeNotice(models.Model):
    """Which page a pushed notice (by its external_id) became: the idempotency key."""

    external_id = models.CharField(_("外部编号"), max_length=100, unique=True)
    kind = models.CharField(_("公告类型"), max_length=40, choices=NoticeKind.choices)
    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="intake", verbose_name=_("页面")
    )
    token = models.ForeignKey(
        ApiToken, on_delete=models.PROTECT, related_name="notices", verbose_name=_("令牌")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("推送公告")
        verbose_name_plural = _("推送公告")

    def __str__(self) -> str:
        return self.external_id


class ApiCallLog(models.Model):
    """One row per intake API call (网络安全管理办法 五); the audit app takes these over."""

    token = models.ForeignKey(
        ApiToken,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("令牌"),
    )
    method = models.CharField(_("方法"), max_length=10)
    path = models.CharField(_("路径"), max_length=300)
    status = models.PositiveSmallIntegerField(_("状态码"))
    kind = models.CharField(_("公告类型"), max_length=40, blank=True)
    external_id = models.CharField(_("外部编号"), max_length=100, blank=True)
    page_id = models.PositiveIntegerField(_("页面ID"), null=True, blank=True)
    remote_addr = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    detail = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("接口调用记录")
        verbose_name_plural = _("接口调用记录")

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status}"
