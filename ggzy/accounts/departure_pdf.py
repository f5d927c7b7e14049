"""The printable departure form (离岗离职交接单) as PDF, drawn with reportlab.

Chinese text uses reportlab's built-in STSong-Light CID font: no font files to
ship and nothing fetched from outside.
"""

from io import BytesIO

from django.conf import settings
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .models import Departure

FONT = "STSong-Light"


def _styles():
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    body = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=15, wordWrap="CJK")
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=22, alignment=1)
    return body, title


def _fmt(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def render_departure_pdf(departure: Departure) -> bytes:
    body, title = _styles()
    p = lambda text: Paragraph(str(text), body)  # noqa: E731

    story = [
        Paragraph(f"{settings.WAGTAIL_SITE_NAME}<br/>工作人员离岗离职信息安全交接单", title),
        Spacer(1, 6 * mm),
    ]
    head = [
        [
            p("姓名 / 用户名"),
            p(f"{departure.user.get_full_name()} {departure.user.username}"),
            p("科室"),
            p(departure.user.department),
        ],
        [p("类型"), p(departure.get_kind_display()), p("办理人"), p(departure.started_by)],
        [
            p("账号停用时间"),
            p(_fmt(departure.started_at)),
            p("已撤销角色"),
            p("、".join(departure.removed_groups)),
        ],
        [p("说明"), p(departure.reason), p("办结时间"), p(_fmt(departure.closed_at))],
    ]
    table_style = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
    )
    story += [
        Table(head, colWidths=[28 * mm, 57 * mm, 28 * mm, 57 * mm], style=table_style),
        Spacer(1, 5 * mm),
    ]

    rows = [[p("交接事项（第二条、第三条）"), p("明细"), p("科室负责人确认"), p("备注")]]
    for item in departure.items.select_related("done_by"):
        confirmed = f"{item.done_by} {_fmt(item.done_at)}" if item.is_done else ""
        rows.append([p(item.get_kind_display()), p(item.description), p(confirmed), p(item.note)])
    story += [
        Table(rows, colWidths=[62 * mm, 40 * mm, 38 * mm, 30 * mm], style=table_style),
        Spacer(1, 5 * mm),
    ]

    acknowledged = departure.confidentiality_acknowledged_on
    story += [
        p(
            "保密义务（人员离岗离职信息安全管理规定 第一条）：本人离岗离职之后，"
            "仍对任职期间接触、知悉的网络设备与各业务系统服务器机密承担如同任职期间一样的保密义务"
            "和不得擅自使用的义务，直至该秘密信息成为公开信息。"
        ),
        Spacer(1, 3 * mm),
        p(f"确认日期：{acknowledged:%Y-%m-%d}" if acknowledged else "确认日期：________"),
        Spacer(1, 12 * mm),
        p(
            "离岗离职人员签字：______________　　科室负责人签字：______________　　"
            "系统管理员签字：______________"
        ),
    ]
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title="离岗离职交接单",
        author=settings.WAGTAIL_SITE_NAME,
    )
    doc.build(story)
    return buffer.getvalue()
