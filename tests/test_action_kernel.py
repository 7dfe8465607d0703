"""The kernel every app's actions share (lib/actions.py): one error hierarchy, so that one `except`
catches any refused action from any app, and one version claim."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from grassroots.activities import actions as activities
from grassroots.administration import actions as administration
from grassroots.appeals import actions as appeals
from grassroots.commitments import actions as commitments
from grassroots.ledger import actions as ledger
from grassroots.lib.actions import STALE, ActionError, AlreadyDone, Conflict, claim, require_text
from grassroots.onsite import actions as onsite
from grassroots.reception import actions as reception
from grassroots.research import actions as research
from grassroots.surveys import actions as surveys

REFUSALS = {
    "appeals": lambda o: appeals.register(
        registered_unit=o.east_petition,
        actor=o.clerk,
        channel="visit",
        title="",
        content="c",
        petitioner_name="王",
    ),
    "ledger": lambda o: ledger.create(
        actor=o.head, description="", responsible_unit=o.chengguan, deadline=None
    ),
    "commitments": lambda o: commitments.create(actor=o.head, content="", responsible_person="镇长"),
    "activities": lambda o: activities.create(actor=o.clerk, kind="nonsense"),
    "research": lambda o: research.create_topic(
        actor=o.leader, title="", unit=o.east, owner=o.leader, starts_on=None, ends_on=None
    ),
    "onsite": lambda o: onsite.task_deadline(date(2026, 3, 2)),
    "surveys": lambda o: surveys.set_status(
        surveys.create(
            actor=o.head,
            title="空问卷",
            owner_unit=o.chengguan,
            opens_at=timezone.now(),
            closes_at=timezone.now() + timedelta(days=7),
        ),
        "open",
    ),
    "reception": lambda o: reception.cancel("NOSUCHCODE", "0000"),
    "administration": lambda o: administration.rename_unit(o.admin, o.hekou, name="城关镇"),
}


@pytest.mark.parametrize("app", REFUSALS)
def test_one_except_catches_a_refused_action_from_any_app(org, app):
    try:
        REFUSALS[app](org)
    except ActionError as refused:
        assert str(refused)  # a message for the user, in Chinese
        assert any("\u4e00" <= ch <= "\u9fff" for ch in str(refused))
    else:
        pytest.fail(f"{app} did not refuse")


def test_conflicts_and_repeats_are_refusals_too():
    assert issubclass(Conflict, ActionError) and issubclass(AlreadyDone, ActionError)
    assert AlreadyDone("已提交", result=42).result == 42


def test_the_claim_takes_the_version_once(org, make_appeal):
    appeal = make_appeal()
    claimed = claim(appeal, appeal.version)
    assert claimed.version == appeal.version + 1
    with pytest.raises(Conflict, match="这条诉求已被他人更新"):
        claim(appeal, appeal.version, noun="这条诉求")
    with pytest.raises(Conflict, match=STALE):
        claim(appeal, "not a number")


def test_the_text_check_trims_counts_and_names_what_is_missing():
    assert require_text(" 已受理\r\n次日回访 ", "告知内容", 20) == "已受理\n次日回访"
    assert require_text("", "说明", 20, required=False) == ""
    with pytest.raises(ActionError, match="请填写告知内容"):
        require_text("  ", "告知内容", 20)
    with pytest.raises(ActionError, match="不能超过 3 字（现有 4 字）"):
        require_text("一二三四", "名称", 3)
