"""Two people put the same finding on the ledger at the same moment: one problem is made.

The test commits for real (transaction=True) and runs both actions in threads with their own
database connections, so the database's locking decides the race, on PostgreSQL and SQLite.
"""

from datetime import date

import pytest

from grassroots.ledger.models import Problem
from grassroots.research import actions
from grassroots.research.models import EventKind, Finding
from grassroots.research.tests.helpers import make_finding, make_topic
from tests.race import race

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_puts_a_finding_on_the_ledger_once_when_two_peoplerace(org, travel):
    topic = make_topic(org)
    finding = make_finding(org, topic)

    def put(user, unit):
        def call():
            loaded = Finding.objects.get(pk=finding.pk)
            return actions.put_on_ledger(
                loaded, user, version=finding.version, responsible_unit=unit, deadline=date(2026, 6, 30)
            )

        return call

    results = race(put(org.head, org.chengguan), put(org.leader, org.east_housing))
    winners = [r for r in results if isinstance(r, Problem)]
    losers = [r for r in results if isinstance(r, actions.ActionError)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert "未重复列入" in str(losers[0])
    assert Problem.objects.count() == 1
    finding.refresh_from_db()
    assert finding.problem == winners[0]
    assert topic.events.filter(kind=EventKind.LEDGER).count() == 1
