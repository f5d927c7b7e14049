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


def approve(page, user, comment: str = "") -> None:
    """Approve the page's current step as ``user``, ticking the step's checklist
    (the reviewer's confirmations, 网站管理制度 第十四条 (八)) when it has one."""
    from ggzy.publishing.services import task_act

    page = type(page).objects.get(pk=page.pk)
    task = page.current_workflow_task.specific
    task_act(page=page, actor=user, action="approve", comment=comment, confirmed=task.checklist_items())
