"""Registration point: rich text embeds that stand for text shown on the page.

Screening reads a page as its readers will see it (网站管理制度 第八条、第十四条):
an embed whose content is stored elsewhere (ingest's ``<embed
embedtype="xlsxtable">`` tables) is screened with the text around it.
Screening sits below the apps that own such embeds, so it does not import
them: an app registers a Wagtail hook under :data:`EMBED_TEXT_HOOK`.

A hook is called once per screened page as ``fn(values)`` with all of its
rich text values (so that it can fetch what they embed in one query) and
returns a function that rewrites one value, replacing its embeds with their
HTML.
"""

from collections.abc import Callable, Iterable

from wagtail import hooks

__all__ = ["EMBED_TEXT_HOOK", "embed_text"]

EMBED_TEXT_HOOK = "ggzy_screening_embed_text"


def embed_text(values: Iterable) -> Callable[[str], str]:
    """One rewrite for all the given values: every registered hook's, in turn."""
    values = [value for value in values if isinstance(value, str)]
    rewrites = [fn(values) for fn in hooks.get_hooks(EMBED_TEXT_HOOK)]

    def rewrite(html: str) -> str:
        for each in rewrites:
            html = each(html)
        return html

    return rewrite
