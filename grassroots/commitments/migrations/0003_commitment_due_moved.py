
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('commitments', '0002_task_source'),
    ]

    operations = [
        migrations.AlterField(
            model_name='commitmentupdate',
            name='kind',
            field=models.CharField(choices=[('publish', '作出承诺'), ('progress', '进展'), ('fulfilled', '承诺兑现'), ('missed', '逾期未兑现'), ('due_moved', '时限调整')], max_length=12),
        ),
    ]
