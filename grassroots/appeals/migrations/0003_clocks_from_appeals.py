"""Every running clock of an appeal becomes a Clock row, pauses point at theirs (on the one ground
the 2022 条例 gives, 复核听证, which the old free-text pauses are recorded under), and each appeal
gets the keyed digests of its phone and ID number. The running clocks are then recomputed: past
the entered schedule the holidays fixed by law now count (a limit that ran to New Year's Day runs
to the next working day)."""

from datetime import date

from django.db import migrations
from django.utils import timezone

from grassroots.appeals.deadlines import compute  # pure: a clock's inputs and a calendar give its end
from grassroots.lib import crypto  # a pure helper: decrypts with the settings' key, hashes
from grassroots.lib.workdays import WorkCalendar


def _calendar(apps) -> WorkCalendar:
    years = set(apps.get_model("workcal", "CalendarYear").objects.values_list("year", flat=True))
    last = min(years) if years else None
    while last is not None and last + 1 in years:
        last += 1
    holidays, makeups = set(), set()
    for day, is_workday in apps.get_model("workcal", "CalendarDay").objects.values_list("date", "is_workday"):
        (makeups if is_workday else holidays).add(day)
    known_until = date(last, 12, 31) if last else date(1999, 12, 31)
    return WorkCalendar(frozenset(holidays), frozenset(makeups), known_until)


def _digest(purpose, token):
    value = crypto.decrypt(token)
    return crypto.digest(purpose, value) if value and value != "（无法解密）" else ""


def _write_back(connection, rows):
    """(appeal id, phone digest, id digest, clock id) for many appeals in one statement: Django's
    bulk_update builds a CASE per field and row, which takes hours at a city's million appeals."""
    if not rows:
        return
    values = ", ".join(["(%s, %s, %s, %s)"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH v(id, p, i, c) AS (VALUES {values}) "  # noqa: S608 - placeholders only
            "UPDATE appeals_appeal SET phone_digest = v.p, id_digest = v.i, clock_id = CAST(v.c AS bigint) "
            "FROM v WHERE appeals_appeal.id = v.id",
            [value for row in rows for value in row],
        )


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

    paused_keys = set(Pause.objects.values_list("appeal_id", "clock_rule", "clock_start"))
    running = {}  # the new clocks that pauses point at, by (appeal, rule, start)

    def flush(batch):
        Clock.objects.bulk_create([clock for _appeal, clock in batch if clock is not None])  # sets ids
        for appeal, clock in batch:
            if clock is not None:
                key = (appeal.pk, appeal.clock_rule, appeal.clock_start)
                if key in paused_keys:
                    running[key] = clock
        rows = [(a.pk, a.phone_digest, a.id_digest, c.pk if c else None) for a, c in batch]
        _write_back(schema_editor.connection, rows)

    appeals = Appeal.objects.only(
        "pk", "clock_rule", "clock_start", "clock_extra_days", "due_date", "due_provisional",
        "phone_encrypted", "id_number_encrypted",
    )
    batch = []
    for appeal in appeals.iterator(chunk_size=1000):
        appeal.phone_digest = _digest("phone", appeal.phone_encrypted)
        appeal.id_digest = _digest("id_number", appeal.id_number_encrypted)
        clock = None
        if appeal.clock_rule and appeal.clock_rule in rules:
            clock = clock_for(
                appeal.pk,
                appeal.clock_rule,
                appeal.clock_start,
                extension_days=appeal.clock_extra_days,
                extension_from_expiry=False,  # how an extension was counted until now: added days
                due=appeal.due_date,
                provisional=appeal.due_provisional,
            )
        batch.append((appeal, clock))
        if len(batch) >= 1000:
            flush(batch)
            batch = []
    flush(batch)

    for pause in Pause.objects.all():
        key = (pause.appeal_id, pause.clock_rule, pause.clock_start)
        clock = running.get(key)
        if clock is None:  # a pause of a clock that has since stopped
            clock = clock_for(pause.appeal_id, pause.clock_rule, pause.clock_start, stopped_at=now)
            clock.save()
            running[key] = clock
        pause.clock_id, pause.ground_id = clock.pk, ground.pk
        pause.save(update_fields=["clock", "ground"])

    calendar = _calendar(apps)
    paused = {}
    for clock_id, first, last in Pause.objects.values_list("clock_id", "first_day", "last_day"):
        paused.setdefault(clock_id, []).append((first, last))
    for clock in Clock.objects.filter(stopped_at=None).exclude(start=None).iterator():
        due, provisional, latest = compute(clock, calendar, paused.get(clock.pk, []))
        if (due, provisional, latest) != (clock.due, clock.provisional, clock.latest_due):
            Clock.objects.filter(pk=clock.pk).update(due=due, provisional=provisional, latest_due=latest)
            Appeal.objects.filter(clock_id=clock.pk).update(due_date=due, due_provisional=provisional)


class Migration(migrations.Migration):
    dependencies = [("appeals", "0002_statutory_clocks")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
