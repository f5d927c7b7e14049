"""统一社会信用代码 (GB 32100-2015): the check lives in ``ggzy.core.credit_code``;
this name stays because the notices' migrations refer to it."""

from django.utils.translation import gettext as _

from ggzy.core.credit_code import (  # noqa: F401 (re-exported)
    CREDIT_CODE_ALPHABET,
    credit_code_check_character,
)
from ggzy.core.credit_code import validate_credit_code as _validate_credit_code


def validate_credit_code(value: str) -> None:
    _validate_credit_code(value)


def candidate_ranks_error(ranks) -> str | None:
    """招标投标法实施条例 第五十五条: ranked candidates, no more than three."""
    ranks = list(ranks)
    if not 1 <= len(ranks) <= 3:
        return _("中标候选人应为1至3名。")
    if sorted(ranks) != list(range(1, len(ranks) + 1)):
        return _("候选人排名应从1开始连续且不重复。")
    return None
