"""HTML → PDF with WeasyPrint. Fonts come from the system (Debian's
fonts-noto-cjk) and are embedded (subsetted) in the PDF, so a reader needs no
Chinese font of its own."""

CJK_FONT_STACK = '"Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif SC", serif'


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported lazily: loads Pango

    return HTML(string=html).write_pdf()
