
from django.db import migrations, models


def seed_law(apps, schema_editor):
    from grassroots.workcal.defaults import seed_law as seed

    seed(apps.get_model("workcal", "DeadlineRule"), apps.get_model("workcal", "PauseGround"))


class Migration(migrations.Migration):

    dependencies = [
        ('workcal', '0002_seed_rules_and_holidays'),
    ]

    operations = [
        migrations.CreateModel(
            name='PauseGround',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.SlugField(unique=True)),
                ('name', models.CharField(max_length=50, verbose_name='名称')),
                ('basis', models.CharField(max_length=100, verbose_name='法律依据')),
                ('rules', models.CharField(help_text='时限规则的标识，以逗号分隔', max_length=200, verbose_name='适用的时限')),
                ('is_active', models.BooleanField(default=True, verbose_name='启用')),
            ],
            options={
                'verbose_name': '期限中止事由',
                'verbose_name_plural': '期限中止事由',
                'ordering': ['id'],
            },
        ),
        migrations.AddField(
            model_name='deadlinerule',
            name='extends_from_expiry',
            field=models.BooleanField(default=True, verbose_name='延长期限自原期限届满之日起算'),
        ),
        migrations.AddField(
            model_name='deadlinerule',
            name='legal_bound',
            field=models.CharField(blank=True, choices=[('at_most', '可缩短，不得超过法定天数'), ('exact', '与法定天数一致')], max_length=10, verbose_name='调整范围'),
        ),
        migrations.AddField(
            model_name='deadlinerule',
            name='legal_days',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='法定天数'),
        ),
        migrations.RunPython(seed_law, migrations.RunPython.noop),
    ]
