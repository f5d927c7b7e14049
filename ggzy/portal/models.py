"""The public portal: the column tree (栏目) as Wagtail pages, articles, and
each column's publishing policy from 《网站栏目信息发布分类》 (网站管理制度 第九条)."""

from django.db import models
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from ggzy.publishing.permissions import ColumnItem, GovernedPageMixin
from ggzy.screening.forms import ScreenedPageForm
from ggzy.screening.pages import ScreenedArticle

from .choices import (
    FONT_SIZE_POINTS,
    FONT_STACKS,
    ColumnType,
    FontColor,
    FontFamily,
    FontSize,
    UpdateTimeLimit,
    choice_label,
)
from .listing_filters import column_filter
from .page_forms import SourceDepartmentFormMixin
from .slugs import ReadableSlugMixin

__all__ = ["ArticlePage", "ColumnPage", "ColumnPolicy", "HomePage", "SiteIdentity"]

# Rich text features editors may use: no raw HTML, no embeds from outside.
# "xlsx-table" inserts a table from a screened .xlsx (ggzy.ingest.rich_text).
ARTICLE_FEATURES = [
    "h2",
    "h3",
    "h4",
    "bold",
    "italic",
    "ol",
    "ul",
    "hr",
    "link",
    "document-link",
    "image",
    "xlsx-table",
]


# --------------------------------------------------------------------------- pages


def list_page_number(value: str | None) -> int:
    """``?page=k`` of a column (archive page k); no page is the front page (0)."""
    if value in (None, ""):
        return 0
    try:
        number = int(value)
    except ValueError:
        raise Http404(_("没有这一页。")) from None
    if number < 1:
        raise Http404(_("没有这一页。"))
    return number


class HomePage(GovernedPageMixin, Page):
    """The portal home (首页): the latest items of every top-level column."""

    intro = models.TextField(_("简介"), blank=True)

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["portal.ColumnPage"]
    max_count = 1
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("门户首页")

    @cached_property
    def effective_policy(self) -> "ColumnPolicy":
        return ColumnPolicy()  # the home is no column: only 信息科 roles work on it

    def get_context(self, request, *args, **kwargs):
        from .home_blocks import home_blocks
        from .selectors import home_page_sections

        context = super().get_context(request, *args, **kwargs)
        # 交易信息 first (issue 20): blocks the apps above register (notices: the
        # trading tabs and the 开标日程), then the other columns with something in them.
        blocks = home_blocks(home=self)
        context["blocks"] = blocks
        context["sections"] = home_page_sections(home=self, skip={s for b in blocks for s in b.replaces})
        return context


class ColumnPage(GovernedPageMixin, Page):
    """A column (栏目) of the portal; columns nest (交易信息 › 建设工程 › 招标公告)."""

    intro = models.TextField(_("栏目说明"), blank=True)

    parent_page_types = ["portal.HomePage", "portal.ColumnPage"]
    subpage_types = [
        "portal.ColumnPage",
        "portal.ArticlePage",
        # Structured trading announcements (ggzy.notices); each only under its own column.
        "notices.ConstructionTenderNotice",
        "notices.PrequalificationNotice",
        "notices.CandidatesNotice",
        "notices.ConstructionResultNotice",
        "notices.ProcurementTenderNotice",
        "notices.ProcurementChangeNotice",
        "notices.ProcurementResultNotice",
        "notices.PropertyTransferNotice",
        "notices.PropertyResultNotice",
        "notices.LandGrantNotice",
        "notices.LandResultNotice",
    ]
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("栏目")
        verbose_name_plural = _("栏目")

    @cached_property
    def effective_policy(self) -> "ColumnPolicy":
        from .selectors import policy_for_page

        return policy_for_page(self)

    def get_context(self, request, *args, **kwargs):
        from .selectors import column_children, column_items, column_list_page

        context = super().get_context(request, *args, **kwargs)
        # Trading columns offer a filter of their notices by kind, date, project code
        # (dynamic only: a static page's filter form submits to the dynamic URL).
        listing = column_filter(column=self, params=request.GET)
        context["column_filter"] = listing
        # The static build hands in the list page it already read (one pass per column).
        list_page = getattr(request, "ggzy_list_page", None)
        if list_page is None:
            items = listing.items if listing is not None and listing.active else column_items(column=self)
            list_page = column_list_page(items=items, number=list_page_number(request.GET.get("page")))
            if list_page is None:
                raise Http404(_("没有这一页。"))
        context["page_obj"] = list_page
        context["subcolumns"] = column_children(column=self)
        context["policy"] = self.effective_policy
        return context


class ArticlePageForm(SourceDepartmentFormMixin, ScreenedPageForm):
    """An article's editor form: screened, with its 信息来源 required."""


class ArticlePage(ReadableSlugMixin, ColumnItem, GovernedPageMixin, ScreenedArticle, Page):
    """One item of information published in a column (文章/公告)."""

    source_department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("信息来源"),
        help_text=_("发布信息的科室；默认为起草人所在科室。"),
    )
    source_name = models.CharField(
        _("转载来源"),
        max_length=120,
        blank=True,
        help_text=_("转载外部网站信息时填写来源网站名称。"),
    )
    keywords = models.CharField(_("关键词"), max_length=200, blank=True)
    body = RichTextField(_("正文"), features=ARTICLE_FEATURES)

    parent_page_types = ["portal.ColumnPage"]
    subpage_types = []
    # Pre-publication screening (网站管理制度 第八条、第十四条; 信息发布管理制度 一(二)(四)).
    base_form_class = ArticlePageForm
    content_panels = [
        *Page.content_panels,
        FieldPanel("source_department"),
        FieldPanel("source_name"),
        FieldPanel("keywords"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body"), index.SearchField("keywords")]

    class Meta:
        verbose_name = _("文章")
        verbose_name_plural = _("文章")

    def clean(self):
        super().clean()
        # 附表 column policy: every item has its 信息来源, by default the drafter's department.
        if not self.source_department_id and self.owner_id and getattr(self.owner, "department_id", None):
            self.source_department_id = self.owner.department_id

    @property
    def content_source(self) -> str:
        if self.source_name:
            return self.source_name
        return self.source_department.name if self.source_department_id else ""

    @cached_property
    def column(self) -> ColumnPage | None:
        from .selectors import column_of

        return column_of(self)

    @cached_property
    def effective_policy(self) -> "ColumnPolicy":
        from .selectors import policy_for_page

        return policy_for_page(self)


# --------------------------------------------------------------------------- policy


# 版面要求: a fixed line spacing a reader can use (the check constraint and the form).
LINE_SPACING_PT_RANGE = (8, 72)


class ColumnPolicy(models.Model):
    """A column's publishing policy (《网站栏目信息发布分类》, 网站管理制度 第九条).

    Kept apart from the page so that the 网站管理员 edits it without a page
    revision; the public templates read it (layout) and the publishing rules
    read the source departments and update time limit.
    """

    column = models.OneToOneField(
        ColumnPage, on_delete=models.CASCADE, related_name="policy", verbose_name=_("栏目")
    )
    column_type = models.CharField(
        _("栏目类型"), max_length=20, choices=ColumnType.choices, default=ColumnType.NEWS
    )
    info_types = models.TextField(_("发布信息类型"), blank=True)
    source_departments = models.ManyToManyField(
        "accounts.Department",
        blank=True,
        related_name="column_policies",
        verbose_name=_("信息来源科室"),
    )
    external_sources = models.TextField(
        _("外部信息来源"), blank=True, help_text=_("可转载的外部网站，每行一个。")
    )
    update_time_limit = models.CharField(
        _("更新时限"),
        max_length=20,
        choices=UpdateTimeLimit.choices,
        default=UpdateTimeLimit.REALTIME,
    )
    font_family = models.CharField(
        _("字体"), max_length=10, choices=FontFamily.choices, default=FontFamily.SONG
    )
    font_size = models.CharField(_("字号"), max_length=10, choices=FontSize.choices, default=FontSize.SIZE_4)
    font_color = models.CharField(
        _("字体颜色"), max_length=7, choices=FontColor.choices, default=FontColor.BLACK
    )
    line_spacing_pt = models.DecimalField(
        _("行间距（固定值，磅）"), max_digits=4, decimal_places=1, default=22
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("栏目发布规范")
        verbose_name_plural = _("栏目发布规范")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(line_spacing_pt__gte=LINE_SPACING_PT_RANGE[0])
                & models.Q(line_spacing_pt__lte=LINE_SPACING_PT_RANGE[1]),
                name="portal_columnpolicy_line_spacing_range",
            )
        ]

    def __str__(self) -> str:
        return str(self.column.title)

    def get_column_type_display(self) -> str:
        # Every public page shows it (ColumnType meta): the label read once.
        return choice_label(self._meta.get_field("column_type"), self.column_type)

    @property
    def layout_requirement(self) -> str:
        """The 版面要求 as the regulation writes it: 宋体 4号 黑色字体 行间距固定值22磅."""
        spacing = f"{self.line_spacing_pt.normalize():f}"
        return _("%(family)s %(size)s %(color)s字体 行间距固定值%(spacing)s磅") % {
            "family": self.get_font_family_display(),
            "size": self.get_font_size_display(),
            "color": self.get_font_color_display(),
            "spacing": spacing,
        }

    layout_requirement.fget.short_description = _("版面要求")  # the listing's column header

    @property
    def css_classes(self) -> str:
        """The layout as classes of portal/layout.css: pages carry no inline style, so the
        public site's Content-Security-Policy forbids inline styles (issue 14 item 13)."""
        from .layout_css import layout_classes

        return layout_classes(self.font_family, self.font_size, self.font_color, self.line_spacing_pt)

    @property
    def css_declarations(self) -> str:
        spacing = f"{self.line_spacing_pt.normalize():f}"
        return (
            f"font-family: {FONT_STACKS.get(self.font_family, FONT_STACKS[FontFamily.SONG])}; "
            f"font-size: {FONT_SIZE_POINTS.get(self.font_size, '14pt')}; "
            f"color: {self.font_color if self.font_color in FontColor.values else '#000000'}; "
            f"line-height: {spacing}pt;"
        )


# --------------------------------------------------------------------------- site identity


class SiteIdentity(models.Model):
    """The site's identification (政府网站发展指引 国办发〔2017〕47号; 网站管理制度 第十五条:
    网站备案): one row, edited by the 网站管理员 in the admin (设置 › 网站标识). Every public
    page's footer and <head> read it; Wagtail's default Site follows ``domain``/``https``
    so that the sitemap, feeds and e-mail links carry the real address."""

    site_name = models.CharField(_("网站名称"), max_length=100)
    domain = models.CharField(
        _("网站域名"), max_length=253, help_text=_("不含 http:// 和路径，例如 ggzy.jiaozuo.gov.cn。")
    )
    https = models.BooleanField(_("使用 HTTPS"), default=True)
    sponsor = models.CharField(_("主办单位"), max_length=100, blank=True)
    organizer = models.CharField(_("承办单位"), max_length=100, blank=True)
    address = models.CharField(_("联系地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    email = models.EmailField(_("联系邮箱"), blank=True)
    site_code = models.CharField(_("网站标识码"), max_length=20, blank=True)
    icp_number = models.CharField(
        _("ICP 备案号"), max_length=50, blank=True, help_text=_("例如 豫ICP备12345678号-1。")
    )
    police_number = models.CharField(
        _("公安机关备案号"), max_length=50, blank=True, help_text=_("例如 豫公网安备 41080002000001号。")
    )
    police_url = models.URLField(_("公安机关备案链接"), blank=True)
    conac_url = models.URLField(
        _("党政机关网站标识链接"),
        blank=True,
        help_text=_("已取得党政机关网站标识的填写其验证链接；未取得的留空。"),
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("网站标识")
        verbose_name_plural = _("网站标识")

    def __str__(self) -> str:
        return self.site_name

    # Fields an inspector expects on every government site (检查指标: 网站标识); the
    # 党政机关标识 only where the site holds one.
    REQUIRED = (
        "site_name",
        "domain",
        "sponsor",
        "organizer",
        "address",
        "phone",
        "email",
        "site_code",
        "icp_number",
        "police_number",
        "police_url",
    )

    def missing(self) -> list[str]:
        """Labels of the required fields left empty."""
        return [str(self._meta.get_field(f).verbose_name) for f in self.REQUIRED if not getattr(self, f)]

    @property
    def base_url(self) -> str:
        return f"{'https' if self.https else 'http'}://{self.domain}" if self.domain else ""
