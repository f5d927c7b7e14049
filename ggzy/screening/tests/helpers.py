"""Test data builders for screening: valid and invalid ID numbers."""

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(region: str = "410802", birth: str = "19900307", serial: str = "123") -> str:
    """A fictitious 18-character ID with a correct GB 11643 check character."""
    body = region + birth + serial
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]


def with_wrong_check(number: str) -> str:
    wrong = "0" if number[-1] != "0" else "1"
    return number[:-1] + wrong


def luhn_number(prefix: str, length: int) -> str:
    body = prefix + "0" * (length - len(prefix) - 1)
    for check in "0123456789":
        candidate = body + check
        total = 0
        for index, char in enumerate(reversed(candidate)):
            digit = int(char) * (2 if index % 2 else 1)
            total += digit - 9 if digit > 9 else digit
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")


def publish_through_chain(article, drafter):
    """Walk a 交易信息 article (科室负责人, 信息发布管理小组, 信息发布员) through
    its chain in code; returns the live article and the publisher."""
    from ggzy.accounts.choices import RoleKey
    from ggzy.accounts.tests.factories import make_user
    from ggzy.publishing.services import submit_for_review
    from ggzy.publishing.tests.factories import approve

    model = type(article)
    head = make_user(RoleKey.DEPARTMENT_HEAD, department=drafter.department.code)
    group = make_user(RoleKey.REVIEW_GROUP, department="zonghe")
    publisher = make_user(RoleKey.PUBLISHER)
    submit_for_review(page=article, actor=drafter)
    for user in (head, group, publisher):
        approve(article, user)
    return model.objects.get(pk=article.pk), publisher
