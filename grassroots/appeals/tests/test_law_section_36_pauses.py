"""§36 ¶2: the time a 复核 hearing takes does not count towards the 30 days. No other clock stops:
a pause needs a ground from the closed list, counts from the day it is recorded, and one recorded
after it began waits for a supervisor other than the one who asked."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from grassroots.accounts.models import Membership, Role, User
from grassroots.appeals import actions
from grassroots.appeals.models import EventKind, Pause
from grassroots.lib.actions import ActionError
from grassroots.workcal.models import PauseGround


def _at(day):
    return time_machine.travel(f"{day} 10:00 +0800", tick=False)


def _pause(appeal, actor, first, last, reason, ground=None):
    return actions.record_pause(
        appeal,
        actor,
        ground=ground or PauseGround.objects.get(key="recheck_hearing"),
        first_day=date.fromisoformat(first),
        last_day=date.fromisoformat(last),
        reason=reason,
    )


@pytest.fixture
def hearing():
    return PauseGround.objects.get(key="recheck_hearing")


@pytest.fixture
def rechecking(org, make_appeal):
    """复核 asked for of the city on Mon 2 Mar 2026: the 30 days end on Wed 1 Apr."""
    with _at("2026-03-02"):
        appeal = actions.dispatch(make_appeal(), org.clerk, unit=org.chengguan)
        appeal = actions.inform(appeal, org.handler, note="已受理")
        appeal = actions.reply(appeal, org.handler, text="已修复")
        appeal = actions.record_delivery(appeal, org.clerk, method="in_person", delivered_on=date(2026, 3, 2))
        appeal = actions.request_review(appeal, None, reason="没有修好")
        appeal = actions.decide_review(appeal, org.leader, decision="upheld", text="维持")
        appeal = actions.record_delivery(appeal, org.clerk, method="in_person", delivered_on=date(2026, 3, 2))
        appeal = actions.request_review(appeal, None, reason="仍不服")
    assert (appeal.clock.rule, appeal.review_unit, appeal.due_date) == (
        "recheck_decide",
        org.city,
        date(2026, 4, 1),
    )
    return appeal


def test_section_36_a_hearing_recorded_from_today_stops_the_recheck_clock(org, rechecking, hearing):
    with _at("2026-03-10"):
        appeal = _pause(rechecking, org.clerk, "2026-03-10", "2026-03-19", "听证会，市信访局三楼")
    assert appeal.due_date == date(2026, 4, 13)  # ten days later: Sat 11 Apr, so Mon 13 Apr
    event = appeal.events.last()
    assert event.kind == EventKind.PAUSE and "复核听证（第三十六条第二款）" in event.note


def test_section_36_no_ground_stops_the_60_days_to_conclude(org, make_appeal, hearing):
    with _at("2026-03-02"):
        appeal = actions.inform(
            actions.dispatch(make_appeal(), org.clerk, unit=org.chengguan), org.handler, note="受理"
        )
        with pytest.raises(ActionError) as refused:
            _pause(appeal, org.clerk, "2026-03-03", "2026-03-05", "鉴定")
    assert "信访工作条例第三十四条规定的这一期限没有可以中止的法定事由" in str(refused.value)
    assert "第三十六条第二款" in str(refused.value)
    assert not Pause.objects.exists() and actions.pause_grounds(appeal) == []


def test_section_36_a_pause_started_before_today_waits_for_a_supervisor(org, rechecking, hearing):
    with _at("2026-03-12"):
        appeal = _pause(rechecking, org.clerk, "2026-03-10", "2026-03-11", "听证")
        assert appeal.due_date == date(2026, 4, 1)  # nothing counts until approved
        pause = Pause.objects.get()
        assert pause.state == Pause.State.PENDING
        assert appeal.events.last().kind == EventKind.PAUSE_REQUEST
        appeal = actions.decide_pause(appeal, org.supervisor, pause=pause, approve=True)
    assert appeal.due_date == date(2026, 4, 3)
    pause.refresh_from_db()
    assert (pause.state, pause.decided_by) == (Pause.State.APPROVED, org.supervisor)


def test_section_36_the_supervisor_who_asked_cannot_approve_their_own_backdating(org, rechecking, hearing):
    with _at("2026-03-12"):
        appeal = _pause(rechecking, org.supervisor, "2026-03-11", "2026-03-11", "听证")
        with pytest.raises(ActionError, match="申请人以外"):
            actions.decide_pause(appeal, org.supervisor, pause=Pause.objects.get(), approve=True)
        other = User.objects.create(username="sam", display_name="督办员山姆")
        Membership.objects.create(user=other, unit=org.city, role=Role.SUPERVISOR)
        appeal = actions.decide_pause(
            appeal, other, pause=Pause.objects.get(), approve=False, note="无听证记录"
        )
    assert Pause.objects.get().state == Pause.State.REJECTED
    assert appeal.due_date == date(2026, 4, 1)


def test_section_36_refuses_a_pause_backdated_beyond_the_grace(org, rechecking, hearing, settings):
    settings.PAUSE_BACKDATE_GRACE_DAYS = 3
    with _at("2026-03-20"), pytest.raises(ActionError, match="最多可提前 3 日"):
        _pause(rechecking, org.clerk, "2026-03-16", "2026-03-17", "听证")
    assert not Pause.objects.exists()


def test_section_36_refuses_a_pause_of_a_limit_already_run_out(org, rechecking, hearing):
    with _at("2026-04-02"), pytest.raises(ActionError, match="已于 2026年04月01日 届满"):
        _pause(rechecking, org.clerk, "2026-04-02", "2026-04-03", "听证")


def test_section_36_a_ground_taken_off_the_list_stops_nothing(org, rechecking, hearing):
    PauseGround.objects.filter(pk=hearing.pk).update(is_active=False)
    hearing.refresh_from_db()
    with _at("2026-03-10"), pytest.raises(ActionError, match="没有可以中止的法定事由"):
        _pause(rechecking, org.clerk, "2026-03-10", "2026-03-11", "听证")


def test_section_36_the_page_offers_only_the_grounds_in_law(client, org, rechecking):
    client.force_login(org.clerk)
    with _at("2026-03-10"):
        page = client.get(reverse("appeals:detail", args=[rechecking.pk])).content.decode()
    assert "复核听证（第三十六条第二款）" in page
    assert 'name="ground"' in page
