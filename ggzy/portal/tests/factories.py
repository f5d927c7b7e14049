from ggzy.accounts.models import Department
from ggzy.portal.models import ArticlePage, ColumnPage


def column(slug_path: str) -> ColumnPage:
    """A column by its URL path below the home, e.g. "jyxx/jsgc/zbgg"."""
    page = None
    for slug in slug_path.strip("/").split("/"):
        qs = ColumnPage.objects.filter(slug=slug)
        page = qs.child_of(page).get() if page is not None else qs.filter(depth=3).get()
    return page


def publish_article(parent: ColumnPage, title: str, body: str = "<p>正文</p>", **fields) -> ArticlePage:
    department = fields.pop("department", None)
    article = parent.add_child(
        instance=ArticlePage(
            title=title,
            body=body,
            source_department=Department.objects.get(code=department) if department else None,
            **fields,
        )
    )
    article.save_revision().publish()
    article.refresh_from_db()
    return article


def applied_layout(html: str) -> str:
    """The column layout a page applies to its text: the declarations of layout.css for
    the classes on its .column-content / .article-body (pages carry no inline style)."""
    import re as _re

    from ggzy.portal.layout_css import declarations_for

    assert "portal/layout" in html and "<style" not in html
    match = _re.search(r'class="(?:column-content|article-body) ([^"]*)"', html)
    assert match, "no layout classes on the page text"
    return declarations_for(match.group(1))
