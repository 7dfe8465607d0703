from django.db import migrations


def seed(apps, schema_editor):
    from grassroots.workcal.defaults import seed as seed_defaults

    seed_defaults(
        apps.get_model("workcal", "DeadlineRule"),
        apps.get_model("workcal", "CalendarDay"),
        apps.get_model("workcal", "CalendarYear"),
    )


class Migration(migrations.Migration):
    dependencies = [("workcal", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
