"""统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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


def candidate_ranks_error(ranks) -> str | None:
    """招标投标法实施条例 第五十五条: ranked candidates, no more than three."""
    ranks = list(ranks)
    if not 1 <= len(ranks) <= 3:
        return _("中标候选人应为1至3名。")
    if sorted(ranks) != list(range(1, len(ranks) + 1)):
        return _("候选人排名应从1开始连续且不重复。")
    return None
