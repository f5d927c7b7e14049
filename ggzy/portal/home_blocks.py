"""What the apps above the portal add to the home page and to column lists.

The portal knows columns and items, not what a trading notice is. An app that
knows more registers Wagtail hooks instead of the portal calling it:

- :data:`HOME_BLOCKS_HOOK`: ``fn(home=...)`` returns a list of :class:`HomeBlock`
  shown before the columns' sections (交易信息 by trading type and stage, 开标日程);
  a block may stand for top-level columns (``replaces``), whose plain section then
  goes.
- :data:`LIST_DETAILS_HOOK`: ``fn(items=[...])`` returns ``{page id: ListDetail}``
  for the listed items it knows (项目编号 and the next deadline of a notice).
"""

from dataclasses import dataclass, field

from wagtail import hooks

__all__ = ["HOME_BLOCKS_HOOK", "LIST_DETAILS_HOOK", "HomeBlock", "ListDetail", "home_blocks", "list_details"]

HOME_BLOCKS_HOOK = "ggzy_home_blocks"
LIST_DETAILS_HOOK = "ggzy_list_details"


@dataclass
class HomeBlock:
    template_name: str
    context: dict
    order: int = 0
    replaces: tuple[str, ...] = ()  # slugs of top-level columns this block stands for


@dataclass(frozen=True)
class ListDetail:
    """What a list shows of an item beside its title and date."""

    code: str = ""  # 项目编号
    deadline_label: str = ""
    deadline: str = ""
    extra: dict = field(default_factory=dict)


def home_blocks(*, home) -> list[HomeBlock]:
    blocks = [block for fn in hooks.get_hooks(HOME_BLOCKS_HOOK) for block in fn(home=home)]
    return sorted(blocks, key=lambda b: b.order)


def list_details(*, items) -> dict[int, ListDetail]:
    details: dict[int, ListDetail] = {}
    for fn in hooks.get_hooks(LIST_DETAILS_HOOK):
        details.update(fn(items=items))
    return details
