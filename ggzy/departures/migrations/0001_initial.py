"""Take over the departure tables that accounts 0003 created (state only: the
tables and their rows stay where they are; 0003 renames them)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0005_departures_moved_out"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Departure",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[("transfer", "离岗"), ("resignation", "离职")],
                                max_length=20,
                                verbose_name="类型",
                            ),
                        ),
                        ("reason", models.TextField(blank=True, verbose_name="说明")),
                        ("started_at", models.DateTimeField(auto_now_add=True, verbose_name="开始时间")),
                        (
                            "removed_groups",
                            models.JSONField(blank=True, default=list, verbose_name="已撤销的角色"),
                        ),
                        (
                            "confidentiality_acknowledged_on",
                            models.DateField(blank=True, null=True, verbose_name="保密义务确认日期"),
                        ),
                        ("closed_at", models.DateTimeField(blank=True, null=True, verbose_name="办结时间")),
                        (
                            "closed_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="办结人",
                            ),
                        ),
                        (
                            "started_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="办理人（系统管理员）",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="departures",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="离岗离职人员",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "离岗离职",
                        "verbose_name_plural": "离岗离职",
                        "ordering": ["-started_at"],
                        "db_table": "accounts_departure",
                    },
                ),
                migrations.CreateModel(
                    name="DepartureItem",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("device_credentials", "服务器、交换机、路由器的账号和密码口令（交接并更换）"),
                                    ("documentation", "设备说明书等设备与服务器系统资料"),
                                    ("contracts", "网络与信息化建设合同、上级批文、条例等文字材料"),
                                    ("keys", "门钥匙、文件柜钥匙"),
                                    ("equipment", "归还计算机及其他属于本单位的财物"),
                                ],
                                max_length=30,
                                verbose_name="事项",
                            ),
                        ),
                        ("description", models.CharField(blank=True, max_length=200, verbose_name="明细")),
                        ("done_at", models.DateTimeField(blank=True, null=True, verbose_name="确认时间")),
                        ("note", models.CharField(blank=True, max_length=200, verbose_name="备注")),
                        (
                            "departure",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="items",
                                to="departures.departure",
                            ),
                        ),
                        (
                            "done_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="确认人",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "交接事项",
                        "verbose_name_plural": "交接事项",
                        "ordering": ["pk"],
                        "db_table": "accounts_departureitem",
                    },
                ),
                migrations.AddConstraint(
                    model_name="departure",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("closed_at__isnull", True)),
                        fields=("user",),
                        name="accounts_one_open_departure",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
