"""Amounts and sizes as people write them on a notice (1,180.00 万元 / ¥11,800,000.00)."""

from decimal import Decimal

from django.utils.translation import gettext as _

from .choices import MoneyUnit


def format_amount(value: Decimal, unit: str) -> str:
    """An amount in its unit: ``1,180.00 万元`` for 万元, ``¥11,800,000.00`` for 元."""
    if value is None:
        return ""
    if unit == MoneyUnit.YUAN:
        return f"¥{value:,.2f}"
    return _("%(amount)s 万元") % {"amount": f"{value:,.2f}"}


def format_size(size: int) -> str:
    """A file size for a download list: 820 B, 12.5 KB, 1.2 MB."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"
