"""Pages and jobs at a city's volume: clone the demo's appeals to N in PostgreSQL, then time pages.

Not part of the test run. Usage (a database of its own, never the one the tests use):

    createdb -h 127.0.0.1 -U postgres scale
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/scale
    python manage.py migrate && python manage.py seed_demo
    python bench/scale.py measure --label demo              # the 2,000-appeal baseline
    python bench/scale.py clone --to 1000000                # about 10 min on 2 cores
    python bench/scale.py measure --label 1M

`clone` copies every appeal with its timeline, clocks, overdue periods, deliveries and ratings, in
SQL, until there are N appeals (new ids, tracking codes "C" + id). `measure` times each page of
PAGES (GET as the demo's city supervisor, through Django's test client: the view, the queries
and the template, without the network) and each job of JOBS, median of `--runs`, and prints one
JSON line; the first figure, a /healthz, is the same run's yardstick for the machine's noise.
Tables a checkout does not have are skipped, so an older checkout can be measured the same way.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grassroots.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

# (table, foreign key to the appeal); cloned in this order, each row re-pointed at its clone
CHILDREN = [
    ("appeals_event", "appeal_id"),
    ("appeals_rating", "appeal_id"),
    ("appeals_representative", "appeal_id"),
    ("appeals_clock", "appeal_id"),
    ("appeals_overdue", "appeal_id"),
    ("appeals_delivery", "appeal_id"),
]
SKIP_APPEAL_COLUMNS = {"id", "tracking_code", "submission_token", "original_id", "clock_id"}


def _tables():
    return set(connection.introspection.table_names())


def _columns(table):
    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, table)]


def clone(target: int, batch: int) -> None:
    if connection.vendor != "postgresql":
        sys.exit("clone needs PostgreSQL")
    tables = _tables()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), max(id) FROM appeals_appeal")
        count, _ = cursor.fetchone()
        cursor.execute("SELECT id FROM appeals_appeal WHERE tracking_code NOT LIKE 'C%%' ORDER BY id")
        originals = [row[0] for row in cursor.fetchall()]
    started = time.monotonic()
    while count < target:
        rounds = max(1, min(batch, target - count) // len(originals))
        _clone_round(originals, rounds, tables)
        count += rounds * len(originals)
        print(f"{count:,} appeals after {time.monotonic() - started:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


@transaction.atomic
def _clone_round(originals, rounds, tables):
    appeal_cols = [c for c in _columns("appeals_appeal") if c not in SKIP_APPEAL_COLUMNS]
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_map")
        cursor.execute(
            "CREATE TEMP TABLE bench_map AS SELECT a.id AS old_id, nextval(pg_get_serial_sequence("
            "'appeals_appeal', 'id')) AS new_id FROM appeals_appeal a, generate_series(1, %s) "
            "WHERE a.id = ANY(%s)",
            [rounds, originals],
        )
        cols = ", ".join(appeal_cols)
        picked = ", ".join(f"a.{c}" for c in appeal_cols)
        cursor.execute(
            f"INSERT INTO appeals_appeal (id, tracking_code, {cols}) "  # noqa: S608 - column names from the schema
            f"SELECT m.new_id, 'C' || lpad(m.new_id::text, 9, '0'), {picked} "
            "FROM bench_map m JOIN appeals_appeal a ON a.id = m.old_id"
        )
        for table, fk in CHILDREN:
            if table not in tables:
                continue
            cols = [c for c in _columns(table) if c not in ("id", fk)]
            if table == "appeals_overdue":  # points at a clock too: at the clone's clock
                _clone_overdue(cursor, cols)
                continue
            names = ", ".join(cols)
            picked = ", ".join(f"t.{c}" for c in cols)
            if table == "appeals_clock":
                cursor.execute("DROP TABLE IF EXISTS bench_clock_map")
                cursor.execute(
                    "CREATE TEMP TABLE bench_clock_map AS SELECT t.id AS old_id, m.new_id AS appeal_id, "
                    "nextval(pg_get_serial_sequence('appeals_clock', 'id')) AS new_id "
                    "FROM bench_map m JOIN appeals_clock t ON t.appeal_id = m.old_id"
                )
                cursor.execute(
                    f"INSERT INTO appeals_clock (id, appeal_id, {names}) "  # noqa: S608
                    f"SELECT c.new_id, c.appeal_id, {picked} FROM bench_clock_map c "
                    "JOIN appeals_clock t ON t.id = c.old_id"
                )
                cursor.execute(
                    "UPDATE appeals_appeal a SET clock_id = c.new_id FROM appeals_appeal o, bench_map m, "
                    "bench_clock_map c WHERE a.id = m.new_id AND o.id = m.old_id AND c.old_id = o.clock_id "
                    "AND c.appeal_id = m.new_id"
                )
                continue
            cursor.execute(
                f"INSERT INTO {table} ({fk}, {names}) "  # noqa: S608
                f"SELECT m.new_id, {picked} FROM bench_map m JOIN {table} t ON t.{fk} = m.old_id"
            )


def _clone_overdue(cursor, cols):
    names = ", ".join(c for c in cols if c != "clock_id")
    picked = ", ".join(f"t.{c}" for c in cols if c != "clock_id")
    cursor.execute(
        f"INSERT INTO appeals_overdue (appeal_id, clock_id, {names}) "  # noqa: S608
        f"SELECT c.appeal_id, c.new_id, {picked} "
        "FROM bench_clock_map c JOIN appeals_overdue t ON t.clock_id = c.old_id"
    )


# --- measuring ------------------------------------------------------------------------------------


def _pages():
    from grassroots.appeals.models import Appeal

    busy = Appeal.objects.filter(status="handling").order_by("id").values_list("id", flat=True).first()
    return [
        ("/healthz", "healthz"),
        ("/work/", "inbox (mine)"),
        ("/work/?q=overdue", "inbox overdue"),
        ("/work/?q=overdue&ever=1", "inbox once overdue"),
        ("/work/?q=all", "inbox all"),
        (f"/work/{busy}/", "appeal page"),
        ("/work/supervisions", "supervisions"),
        ("/audit/", "audit log"),
        ("/work/?q=closing", "inbox closing"),
        ("/work/assist/quality", "suggestion adoption"),
        ("/accountability/", "accountability"),
        ("/ledger/", "ledger"),
    ]


def _time(fn, runs):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times), 4)


def measure(label: str, runs: int, username: str) -> None:
    from grassroots.accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=username))
    figures = {"label": label}
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM appeals_appeal")
        figures["appeals"] = cursor.fetchone()[0]
    for url, name in _pages():
        response = client.get(url)
        if response.status_code in (403, 404):  # not in this checkout, or not for this user
            continue
        assert response.status_code == 200, (url, response.status_code)
        figures[name] = _time(lambda url=url: client.get(url), runs)
    for name, job in _jobs():
        figures.update({f"{name}{suffix}": seconds for suffix, seconds in job()})
    print(json.dumps(figures, ensure_ascii=False))


def _jobs():
    """The background jobs this checkout has. Each runs twice inside a rolled-back transaction:
    the first run does what is pending, the second shows the hourly steady state."""
    jobs = []
    try:
        from grassroots.appeals.deadlines import record_overdue
    except ImportError:
        record_overdue = None
    from grassroots.appeals.actions import recompute_open_deadlines

    def twice(fn):
        def run():
            with transaction.atomic():
                first = _time(fn, 1)
                again = _time(fn, 1)
                transaction.set_rollback(True)
            return [("", first), (" (again)", again)]

        return run

    if record_overdue is not None:
        jobs.append(("job: record overdue", twice(lambda: record_overdue(timezone.localdate()))))
    jobs.append(("job: recompute after a calendar edit", twice(recompute_open_deadlines)))
    return jobs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("clone")
    c.add_argument("--to", type=int, required=True)
    c.add_argument("--batch", type=int, default=100_000)
    m = sub.add_parser("measure")
    m.add_argument("--label", required=True)
    m.add_argument("--runs", type=int, default=5)
    m.add_argument("--user", default="supervisor_city")
    args = parser.parse_args()
    if args.command == "clone":
        clone(args.to, args.batch)
    else:
        measure(args.label, args.runs, args.user)


if __name__ == "__main__":
    main()
