
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='AuditEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='时间')),
                ('actor_id', models.IntegerField(blank=True, null=True, verbose_name='操作人编号')),
                ('actor_name', models.CharField(max_length=150, verbose_name='操作人')),
                ('ip', models.CharField(blank=True, max_length=64, verbose_name='来源地址')),
                ('user_agent', models.CharField(blank=True, max_length=200, verbose_name='客户端')),
                ('action', models.CharField(db_index=True, max_length=40, verbose_name='操作')),
                ('action_label', models.CharField(max_length=60, verbose_name='操作名称')),
                ('target_type', models.CharField(max_length=30, verbose_name='对象类型')),
                ('target_id', models.CharField(blank=True, max_length=40, verbose_name='对象编号')),
                ('target_label', models.CharField(max_length=200, verbose_name='对象')),
                ('unit_path', models.CharField(blank=True, db_index=True, max_length=255)),
                ('before', models.JSONField(blank=True, null=True, verbose_name='修改前')),
                ('after', models.JSONField(blank=True, null=True, verbose_name='修改后')),
            ],
            options={
                'verbose_name': '操作日志',
                'verbose_name_plural': '操作日志',
                'ordering': ['-at', '-id'],
            },
        ),
    ]
