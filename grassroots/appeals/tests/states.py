"""Appeals brought into each state through the real actions, for tests that need a starting point.

Each builder takes the `org` and `make_appeal` fixtures' values.
"""

from datetime import timedelta

import time_machine
from django.utils import timezone

from grassroots.appeals import actions
from grassroots.workcal.models import PauseGround


def registered(org, make_appeal):
    return make_appeal()


def dispatched(org, make_appeal):
    return actions.dispatch(make_appeal(), org.clerk, unit=org.chengguan)


def objected(org, make_appeal):
    return actions.object_to_dispatch(dispatched(org, make_appeal), org.handler, reason="不归我镇管")


def handling(org, make_appeal):
    return actions.inform(dispatched(org, make_appeal), org.handler, note="已受理")


def extension_pending(org, make_appeal):
    return actions.request_extension(handling(org, make_appeal), org.handler, days=10, reason="等待鉴定")


def replied(org, make_appeal):
    return actions.reply(handling(org, make_appeal), org.handler, text="已修好")


def reviewing(org, make_appeal):
    return actions.request_review(replied(org, make_appeal), None, reason="没有修好")


def delivered(org, make_appeal):
    """Replied, and the reply handed to the petitioner in person the same day."""
    appeal = replied(org, make_appeal)
    return actions.record_delivery(appeal, org.clerk, method="in_person", delivered_on=_today())


def rechecking(org, make_appeal):
    """复核 requested of the city, whose 30 days may be paused for a hearing (§36)."""
    appeal = actions.request_review(delivered(org, make_appeal), None, reason="没有修好")
    appeal = actions.decide_review(appeal, org.leader, decision="upheld", text="维持原答复")
    return actions.request_review(appeal, None, reason="仍不服")


def hearing_pending(org, make_appeal):
    """复核 asked for three days ago, with a hearing that began yesterday, recorded today: the
    backdated pause waits for a supervisor."""
    with time_machine.travel(timezone.now() - timedelta(days=3), tick=False):
        appeal = rechecking(org, make_appeal)
    ground = PauseGround.objects.get(key="recheck_hearing")
    yesterday = _today() - timedelta(days=1)
    return actions.record_pause(
        appeal, org.clerk, ground=ground, first_day=yesterday, last_day=_today(), reason="听证会"
    )


def _today():
    return timezone.localdate()
