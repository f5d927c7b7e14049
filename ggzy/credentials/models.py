"""The privileged credential vault (密码、口令管理制度 一): server, device and
system passwords, sealed (crypto.py), set by two people, revealed to holders only."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ggzy.accounts.models import Department

from .choices import ChangeStatus, CredentialKind, CredentialStatus, RevealStatus, RotationInterval
from .crypto import Sealed

__all__ = ["Credential", "PendingChange", "RevealGrant", "SecretVersion"]


# --------------------------------------------------------------------------- sealed values


class SealedValue(models.Model):
    """A secret sealed by crypto.seal: never plaintext, never in repr or forms.

    ``sealed_id`` is the associated data the ciphertext is bound to; a pending
    change hands its sealed value (and id) to the version it becomes."""

    sealed_id = models.UUIDField(_("密文标识"), default=uuid.uuid4, unique=True, editable=False)
    cipher = models.CharField(_("算法"), max_length=20, editable=False)
    key_id = models.CharField(_("主密钥标识"), max_length=32, editable=False, db_index=True)
    wrapped_key = models.BinaryField(_("封装的数据密钥"), editable=False)
    ciphertext = models.BinaryField(_("密文"), editable=False)

    class Meta:
        abstract = True

    def sealed(self) -> Sealed:
        return Sealed(
            cipher=self.cipher,
            key_id=self.key_id,
            wrapped_key=bytes(self.wrapped_key),
            ciphertext=bytes(self.ciphertext),
        )

    def store(self, sealed: Sealed) -> None:
        self.cipher, self.key_id = sealed.cipher, sealed.key_id
        self.wrapped_key, self.ciphertext = sealed.wrapped_key, sealed.ciphertext

    def clear_sealed(self) -> None:
        self.wrapped_key, self.ciphertext, self.key_id = b"", b"", ""


# --------------------------------------------------------------------------- the credential


class Credential(models.Model):
    """A privileged account on a server, device or system, and who may see its password."""

    name = models.CharField(_("名称"), max_length=120, unique=True)
    kind = models.CharField(_("类别"), max_length=20, choices=CredentialKind.choices)
    target = models.CharField(_("目标系统"), max_length=200, help_text=_("主机名、IP 地址或系统名称"))
    username = models.CharField(_("账号"), max_length=120)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="credentials",
        verbose_name=_("负责科室"),
        help_text=_("该科室的科室负责人与网络管理员两人同时在场设定口令（密码、口令管理制度 一(一)）"),
    )
    holders = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="held_credentials",
        blank=True,
        verbose_name=_("可查看人员"),
        help_text=_("只有这些人员可以（说明理由后）查看口令"),
    )
    require_second_approver = models.BooleanField(
        _("查看须第二人批准"), default=False, help_text=_("查看口令前须由科室负责人或网络管理员批准")
    )
    # A registered machine use (credentials.registry) that may open the password
    # without a person; blank: people only.
    system_use = models.CharField(
        _("自动化使用"),
        max_length=60,
        blank=True,
        help_text=_("允许哪一项自动化任务（如网络设备配置备份）在无人值守时使用该口令；留空则仅限可查看人员"),
    )
    rotation_months = models.PositiveSmallIntegerField(
        _("定期更换"), choices=RotationInterval.choices, default=RotationInterval.QUARTERLY
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=CredentialStatus.choices, default=CredentialStatus.ACTIVE
    )
    rotation_due_on = models.DateField(_("应更换日期"), null=True, blank=True)
    last_rotated_at = models.DateTimeField(_("最近更换时间"), null=True, blank=True)
    compromised_at = models.DateTimeField(_("报告泄密时间"), null=True, blank=True)
    compromised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("报告人"),
    )
    compromise_note = models.TextField(_("泄密迹象"), blank=True)
    retired_at = models.DateTimeField(_("停用时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("特权口令")
        verbose_name_plural = _("特权口令")

    def __str__(self) -> str:
        return self.name

    @property
    def obligation_key(self) -> str:
        return f"credential-rotation-{self.pk}"

    def current_version(self) -> "SecretVersion | None":
        return self.versions.filter(superseded_at__isnull=True).order_by("-number").first()


class SecretVersion(SealedValue):
    """One value the password has had. Only the current one can be revealed; the
    others are kept sealed as history (密码、口令管理制度 一(四))."""

    credential = models.ForeignKey(
        Credential, on_delete=models.PROTECT, related_name="versions", verbose_name=_("口令")
    )
    number = models.PositiveIntegerField(_("版本"))
    generated = models.BooleanField(_("系统生成"), default=False)
    reason = models.CharField(_("更换原因"), max_length=300, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("设定人")
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("确认人")
    )
    created_at = models.DateTimeField(_("生效时间"), auto_now_add=True)
    superseded_at = models.DateTimeField(_("被替换时间"), null=True, blank=True)

    class Meta:
        ordering = ["credential", "-number"]
        verbose_name = _("口令版本")
        verbose_name_plural = _("口令版本")
        constraints = [
            models.UniqueConstraint(fields=["credential", "number"], name="credentials_one_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.credential} v{self.number}"


class PendingChange(SealedValue):
    """A new password entered (or generated) by the first person, waiting for the
    second to confirm with their own password and code (密码、口令管理制度 一(一)).
    Its sealed value moves to the version on confirmation, and is dropped when
    the change expires or is cancelled."""

    credential = models.ForeignKey(
        Credential, on_delete=models.PROTECT, related_name="changes", verbose_name=_("口令")
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=ChangeStatus.choices, default=ChangeStatus.PENDING, db_index=True
    )
    generated = models.BooleanField(_("系统生成"), default=False)
    reason = models.CharField(_("更换原因"), max_length=300)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("发起人")
    )
    started_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("确认截止"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("确认人"),
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    version = models.OneToOneField(
        SecretVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="change"
    )

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("口令变更")
        verbose_name_plural = _("口令变更")

    def __str__(self) -> str:
        return f"{self.credential} #{self.pk}"


class RevealGrant(models.Model):
    """One permission to see the current password once, for a stated reason."""

    credential = models.ForeignKey(
        Credential, on_delete=models.PROTECT, related_name="reveals", verbose_name=_("口令")
    )
    version = models.ForeignKey(SecretVersion, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    reason = models.CharField(_("查看理由"), max_length=300)
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    status = models.CharField(_("状态"), max_length=20, choices=RevealStatus.choices, db_index=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("批准人"),
    )
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("查看截止"), null=True, blank=True)
    used_at = models.DateTimeField(_("查看时间"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("口令查看")
        verbose_name_plural = _("口令查看")

    def __str__(self) -> str:
        return f"{self.credential} #{self.pk}"
