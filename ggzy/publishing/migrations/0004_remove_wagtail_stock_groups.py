"""Wagtail's stock groups ("Moderators", "Editors") and its "Moderators approval"
workflow have no place among the center's 12 roles: Moderators held publish
rights on the root page and was offered on the user form (issue 14 item 5;
网络安全管理办法 五, least privilege). Idempotent: a second run finds nothing."""

from django.db import migrations

STOCK_GROUPS = ("Moderators", "Editors")
STOCK_WORKFLOW = "Moderators approval"


def remove_stock_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    WorkflowState = apps.get_model("wagtailcore", "WorkflowState")
    TaskState = apps.get_model("wagtailcore", "TaskState")

    for workflow in Workflow.objects.filter(name=STOCK_WORKFLOW):
        if WorkflowState.objects.filter(workflow=workflow).exists():
            # A history to keep: out of use, never offered again.
            workflow.active = False
            workflow.save(update_fields=["active"])
            workflow.workflow_pages.all().delete()
        else:
            workflow.workflow_pages.all().delete()
            workflow.workflow_tasks.all().delete()
            workflow.delete()
    for task in Task.objects.filter(name=STOCK_WORKFLOW):
        if TaskState.objects.filter(task=task).exists():
            task.active = False
            task.save(update_fields=["active"])
        else:
            task.delete()
    # Their page, collection and model permissions go with them (cascade).
    Group.objects.filter(name__in=STOCK_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0003_review_checklist_quota_alert"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0048_add_default_workflows"),
        ("wagtailcore", "0005_add_page_lock_permission_to_moderators"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0002_initial_data"),
        ("wagtaildocs", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(remove_stock_groups, migrations.RunPython.noop)]
