import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("appeals", "0003_clocks_from_appeals")]

    operations = [
        migrations.RemoveField(
            model_name='appeal',
            name='clock_extra_days',
        ),
        migrations.RemoveField(
            model_name='appeal',
            name='clock_rule',
        ),
        migrations.RemoveField(
            model_name='appeal',
            name='clock_start',
        ),
        migrations.RemoveField(
            model_name='pause',
            name='clock_rule',
        ),
        migrations.RemoveField(
            model_name='pause',
            name='clock_start',
        ),
        migrations.AlterField(
            model_name="pause",
            name="clock",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="pauses", to="appeals.clock"
            ),
        ),
        migrations.AlterField(
            model_name="pause",
            name="ground",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="workcal.pauseground",
                verbose_name="中止事由",
            ),
        ),
    ]
