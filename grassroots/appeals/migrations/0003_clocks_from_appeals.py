"""Every running clock of an appeal becomes a Clock row, pauses point at theirs (on the one ground
the 2022 条例 gives, 复核听证, which the old free-text pauses are recorded under), and each appeal
gets the keyed digests of its phone and ID number."""

from django.db import migrations
from django.utils import timezone

from grassroots.lib import crypto  # a pure helper: decrypts with the settings' key, hashes


def _digest(purpose, token):
    value = crypto.decrypt(token)
    return crypto.digest(purpose, value) if value and value != "（无法解密）" else ""


def forwards(apps, schema_editor):
    Appeal = apps.get_model("appeals", "Appeal")
    Clock = apps.get_model("appeals", "Clock")
    Pause = apps.get_model("appeals", "Pause")
    rules = {r.key: r for r in apps.get_model("workcal", "DeadlineRule").objects.all()}
    ground = apps.get_model("workcal", "PauseGround").objects.get(key="recheck_hearing")
    now = timezone.now()

    def clock_for(appeal_id, key, start, **extra):
        rule = rules[key]
        return Clock(
            appeal_id=appeal_id,
            rule=key,
            days=rule.days,
            working=rule.working_days,
            basis=rule.basis,
            start=start,
            started_at=now,
            **extra,
        )

    running = {}
    appeals = Appeal.objects.only(
        "pk", "clock_rule", "clock_start", "clock_extra_days", "due_date", "due_provisional",
        "phone_encrypted", "id_number_encrypted",
    )
    batch = []
    for appeal in appeals.iterator(chunk_size=2000):
        appeal.phone_digest = _digest("phone", appeal.phone_encrypted)
        appeal.id_digest = _digest("id_number", appeal.id_number_encrypted)
        if appeal.clock_rule and appeal.clock_rule in rules:
            clock = clock_for(
                appeal.pk,
                appeal.clock_rule,
                appeal.clock_start,
                extension_days=appeal.clock_extra_days,
                due=appeal.due_date,
                provisional=appeal.due_provisional,
            )
            clock.save()
            appeal.clock_id = clock.pk
            running[(appeal.pk, appeal.clock_rule, appeal.clock_start)] = clock
        batch.append(appeal)
        if len(batch) >= 2000:
            Appeal.objects.bulk_update(batch, ["phone_digest", "id_digest", "clock"])
            batch = []
    Appeal.objects.bulk_update(batch, ["phone_digest", "id_digest", "clock"])

    for pause in Pause.objects.all():
        key = (pause.appeal_id, pause.clock_rule, pause.clock_start)
        clock = running.get(key)
        if clock is None:  # a pause of a clock that has since stopped
            clock = clock_for(pause.appeal_id, pause.clock_rule, pause.clock_start, stopped_at=now)
            clock.save()
            running[key] = clock
        pause.clock_id, pause.ground_id = clock.pk, ground.pk
        pause.save(update_fields=["clock", "ground"])


class Migration(migrations.Migration):
    dependencies = [("appeals", "0002_statutory_clocks")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
