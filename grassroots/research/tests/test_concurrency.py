"""Two people put the same finding on the ledger at the same moment: one problem is made.

The test commits for real (transaction=True) and runs both actions in threads with their own
database connections, so the database's locking decides the race, on PostgreSQL and SQLite.
"""

import threading
from datetime import date

import pytest
from django.db import connection

from grassroots.ledger.models import Problem
from grassroots.research import actions
from grassroots.research.models import EventKind, Finding
from grassroots.research.tests.helpers import make_finding, make_topic

pytestmark = pytest.mark.django_db(transaction=True)


def _race(*calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = call()
        except Exception as exc:  # the race's loser is part of the result
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads)
    return results


def test_it_puts_a_finding_on_the_ledger_once_when_two_people_race(org, travel):
    topic = make_topic(org)
    finding = make_finding(org, topic)

    def put(user, unit):
        def call():
            loaded = Finding.objects.get(pk=finding.pk)
            return actions.put_on_ledger(
                loaded, user, version=finding.version, responsible_unit=unit, deadline=date(2026, 6, 30)
            )

        return call

    results = _race(put(org.head, org.chengguan), put(org.leader, org.east_housing))
    winners = [r for r in results if isinstance(r, Problem)]
    losers = [r for r in results if isinstance(r, actions.ActionError)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert "未重复列入" in str(losers[0])
    assert Problem.objects.count() == 1
    finding.refresh_from_db()
    assert finding.problem == winners[0]
    assert topic.events.filter(kind=EventKind.LEDGER).count() == 1
