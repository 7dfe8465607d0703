
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_membership_post'),
    ]

    operations = [
        migrations.AddField(
            model_name='orgunit',
            name='review_organ',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.orgunit', verbose_name='复查（复核）机关'),
        ),
    ]
