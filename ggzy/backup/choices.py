from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    RUNNING = "running", _("进行中")
    SUCCEEDED = "succeeded", _("成功")
    FAILED = "failed", _("失败")
