from ggzy.portal.models import ArticlePage, ColumnPage


def draft_article(
    column: ColumnPage, drafter, title: str = "测试信息", body: str = "<p>正文</p>"
) -> ArticlePage:
    """An unpublished article drafted by ``drafter`` (as the editor's "保存草稿")."""
    article = ArticlePage(
        title=title, body=body, live=False, owner=drafter, source_department=drafter.department
    )
    column.add_child(instance=article)
    article.save_revision(user=drafter)
    return article
