
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('onsite', '0001_onsite_sessions_and_tasks'),
    ]

    operations = [
        migrations.AddField(
            model_name='task',
            name='deadline_working_days',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='工作日天数'),
        ),
        migrations.AlterField(
            model_name='taskupdate',
            name='kind',
            field=models.CharField(choices=[('assign', '交办'), ('progress', '报送进展'), ('submit', '办结，提请验收'), ('accept', '验收通过'), ('return', '退回重办'), ('deadline', '时限调整')], max_length=12),
        ),
    ]
