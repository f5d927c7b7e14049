"""HTML → PDF with WeasyPrint. Fonts come from the system (Debian's
fonts-noto-cjk) and are embedded (subsetted) in the PDF, so a reader needs no
Chinese font of its own."""

CJK_FONT_STACK = '"Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif SC", serif'


class PdfUnavailable(RuntimeError):
    """The system libraries WeasyPrint needs are missing."""


def html_to_pdf(html: str) -> bytes:
    try:
        from weasyprint import HTML  # imported lazily: loads Pango
    except OSError as exc:
        raise PdfUnavailable(
            "PDF output needs Pango and a CJK font: apt-get install libpango-1.0-0 fonts-noto-cjk"
        ) from exc
    return HTML(string=html).write_pdf()
