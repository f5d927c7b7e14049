"""The printable departure form (离岗离职交接单) as PDF.

Rendered from an HTML template by ggzy.core.pdf (WeasyPrint), which embeds the
Chinese font (Noto CJK) so the form prints the same anywhere.
"""

from django.conf import settings
from django.template.loader import render_to_string

from ggzy.core.pdf import html_to_pdf

from .models import Departure


def render_departure_pdf(departure: Departure) -> bytes:
    html = render_to_string(
        "departures/departure_form.html",
        {
            "departure": departure,
            "items": departure.items.select_related("done_by"),
            "site_name": settings.WAGTAIL_SITE_NAME,
        },
    )
    return html_to_pdf(html)
