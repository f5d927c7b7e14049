# The .xlsx table models, moved here from screening with their data: state
# only, on the tables screening.0004 created (db_table keeps their names).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('screening', '0005_spreadsheet_tables_to_ingest'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='SpreadsheetUpload',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('file', models.FileField(upload_to='spreadsheets/%Y/%m/', verbose_name='原始文件')),
                        ('name', models.CharField(max_length=255, verbose_name='文件名')),
                        ('size', models.PositiveIntegerField(verbose_name='大小（字节）')),
                        ('sha256', models.CharField(db_index=True, max_length=64, verbose_name='SHA-256')),
                        ('sheet_names', models.JSONField(default=list, verbose_name='工作表')),
                        ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='上传时间')),
                        ('uploaded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='上传人')),
                    ],
                    options={
                        'verbose_name': 'Excel 原始文件',
                        'verbose_name_plural': 'Excel 原始文件',
                        'db_table': 'screening_spreadsheetupload',
                        'ordering': ['-uploaded_at'],
                    },
                ),
                migrations.CreateModel(
                    name='SpreadsheetTable',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sheet_name', models.CharField(max_length=100, verbose_name='工作表')),
                        ('caption', models.CharField(max_length=200, verbose_name='表格标题')),
                        ('header_rows', models.PositiveSmallIntegerField(default=1, verbose_name='表头行数')),
                        ('html', models.TextField(verbose_name='表格 HTML')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                        ('source', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='tables', to='ingest.spreadsheetupload', verbose_name='原始文件')),
                    ],
                    options={
                        'verbose_name': 'Excel 表格',
                        'verbose_name_plural': 'Excel 表格',
                        'db_table': 'screening_spreadsheettable',
                        'ordering': ['-created_at'],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
