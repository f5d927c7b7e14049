"""统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character.

In ``core`` because several apps check it: the trading announcements (notices)
and the vendor register (vendors, 技术服务外包、维护管理制度 三).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

__all__ = ["CREDIT_CODE_ALPHABET", "credit_code_check_character", "validate_credit_code"]

# GB 32100-2015 4.2/附录: the code alphabet omits I, O, S, V, Z.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_character(first17: str) -> str:
    """The check character for the first 17 characters (GB 32100-2015 附录B)."""
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(_("统一社会信用代码应为18位。"), code="credit_code_length")
    if any(c not in CREDIT_CODE_ALPHABET for c in code):
        raise ValidationError(
            _("统一社会信用代码只能由数字和大写字母（不含I、O、S、V、Z）组成。"), code="credit_code_chars"
        )
    expected = credit_code_check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _("统一社会信用代码校验位错误（GB 32100-2015），按前17位计算应为“%(expected)s”。")
            % {"expected": expected},
            code="credit_code_check",
        )
