import random
import re
from datetime import datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from grassroots.accounts.models import Membership, OrgUnit, Role, User
from grassroots.appeals import actions, deadlines
from grassroots.appeals.models import (
    OPEN_STATUSES,
    Appeal,
    Category,
    Clock,
    DispatchRule,
    Event,
    EventKind,
    Rating,
    Status,
    Supervision,
)
from grassroots.demo import generator, texts
from grassroots.demo.taxonomy import TAXONOMY
from grassroots.lib import crypto
from grassroots.lib.validators import clean_id_number

NOW = datetime.fromisoformat("2026-06-15T10:00:00+08:00")  # a Monday clear of holidays


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as t:
        yield t


def seed(*args, appeals=60, **kw):
    out = StringIO()
    call_command("seed_demo", *args, appeals=appeals, stdout=out, **kw)
    return out.getvalue()


def test_it_plans_every_scenario_and_so_every_status_for_sixty_appeals():
    names = generator.plan_scenarios(60, random.Random(1))
    assert len(names) == 60
    assert set(names) == set(generator.BY_NAME)
    assert {generator.BY_NAME[n].status for n in names} == set(Status.values)
    big = generator.plan_scenarios(2000, random.Random(1))
    assert len(big) == 2000
    assert big.count("closed") > big.count("replied") > big.count("registered")


def test_it_seeds_every_status_and_the_variants_staff_will_look_for(db, frozen):
    output = seed()
    appeals = Appeal.objects.all()
    assert appeals.count() == 60
    assert set(appeals.values_list("status", flat=True)) == set(Status.values)
    assert set(appeals.values_list("channel", flat=True)) <= {
        c for c, _ in Appeal._meta.get_field("channel").choices
    }
    assert appeals.filter(status=Status.CLOSED, final=True).exists()
    assert appeals.filter(status=Status.HANDLING, extension_pending_days__gt=0).exists()
    assert appeals.filter(status=Status.HANDLING, extended=True).exists()
    assert appeals.overdue().filter(supervisions__isnull=False).exists()
    assert Rating.objects.filter(score=Rating.Score.UNSATISFIED).exists()
    assert (
        Rating.objects.filter(score=Rating.Score.SATISFIED).count()
        > Rating.objects.filter(score=Rating.Score.UNSATISFIED).count()
    )
    for dup in appeals.filter(status=Status.DUPLICATE):
        assert dup.original is not None and dup.original.original is None
        assert dup.original.registered_at < dup.registered_at
    for group in appeals.filter(is_group=True):
        assert 2 <= group.representatives.count() <= 5
        assert group.headcount >= group.representatives.count()
    for report in appeals.filter(is_report=True):
        assert report.accused_unit is not None
        assert report.handling_unit is None or not report.accused_unit.contains(report.handling_unit)
    assert "已生成演示数据" in output and "已办结" in output


def test_it_keeps_timestamps_in_order_and_clocks_as_the_deadline_rules_say(db, frozen):
    seed()
    now = timezone.now()
    for a in Appeal.objects.select_related("clock").prefetch_related("events", "ratings"):
        times = (a.registered_at, a.dispatched_at, a.accepted_at, a.replied_at, a.closed_at)
        stamps = [t for t in times if t]
        assert stamps == sorted(stamps) and stamps[-1] <= now, a.status
        if a.status in OPEN_STATUSES:
            clock = a.clock
            assert not deadlines.refresh(clock)  # stored as the rules and the calendar say
            assert (a.due_date, a.due_provisional) == (clock.due, clock.provisional)
            overrun = clock.rule in deadlines.UNIT_LIMITS and clock.due < timezone.localdate()
            assert a.overdue_periods.filter(clock=clock, ended_on=None).exists() is overrun
            assert a.closed_at is None or a.status in (Status.REVIEWING, Status.RECHECKING)
        if a.status in (Status.HANDLING, Status.REPLIED, Status.REVIEWING, Status.REVIEWED):
            assert a.accepted_at and a.handling_unit
        if a.status == Status.HANDLING:
            assert a.replied_at is None
        events = list(a.events.all())
        assert [e.at for e in events] == sorted(e.at for e in events)
        assert events[0].kind == EventKind.REGISTER and events[0].at == a.registered_at
        assert events[-1].at <= now
        for rating in a.ratings.all():
            assert a.replied_at is not None and rating.at > a.replied_at


def test_it_encrypts_phones_and_id_numbers_and_keeps_tracking_codes_unique(db, frozen):
    seed()
    appeals = list(Appeal.objects.all())
    assert len({a.tracking_code for a in appeals}) == len(appeals)
    for a in appeals:
        assert not re.search(r"1[3-9]\d{9}", a.phone_encrypted)
        assert re.fullmatch(r"1[3-9]\d{9}", crypto.decrypt(a.phone_encrypted))
        if a.id_number_encrypted:
            number = crypto.decrypt(a.id_number_encrypted)
            assert number not in a.id_number_encrypted
            assert clean_id_number(number) == number


def test_it_suggests_units_from_the_dispatch_catalogue(db, frozen):
    seed()
    assert DispatchRule.objects.count() > 60
    for a in Appeal.objects.select_related("category", "place_unit"):
        assert a.suggested_unit == DispatchRule.suggest(a.category, a.place_unit)
    property_ = Category.objects.get(name="物业服务")
    community = OrgUnit.objects.get(name="望江社区")
    assert DispatchRule.suggest(property_, community).name == "滨江街道"
    school = Category.objects.get(name="学位与招生")
    assert DispatchRule.suggest(school, community).name == "江澄区教育局"


def test_it_writes_the_default_taxonomy(db, frozen):
    seed(appeals=0)
    level1 = Category.objects.filter(level=1)
    assert level1.count() == len(TAXONOMY) >= 15
    for top in level1:
        assert 2 <= top.children.count() <= 6
    assert Category.objects.filter(level=3).count() > 40
    for topic in texts.TOPICS + texts.REPORT_TOPICS:
        assert Category.objects.filter(name=topic["cat"][-1], level=len(topic["cat"])).exists()


def test_it_does_nothing_on_a_second_run_with_if_empty(db, frozen):
    assert "诉求 60 条" in seed("--if-empty")
    codes = set(Appeal.objects.values_list("tracking_code", flat=True))
    out = seed("--if-empty")
    assert out.startswith("数据库中已有数据，跳过演示数据生成。")
    assert set(Appeal.objects.values_list("tracking_code", flat=True)) == codes


def test_every_run_lists_the_demo_logins_as_they_are_in_the_database(db, frozen):
    first = seed("--if-empty")
    again = seed("--if-empty")
    listed = seed("--accounts")
    for out in (first, again, listed):
        assert "演示账号（密码均为 demo12345）" in out
        assert "admin_city" in out and "clerk_qh" in out

    def table(out):
        return out.split("演示账号（")[1].split("密码相同。")[0]

    assert table(first) == table(again) == table(listed)


def test_it_refuses_to_seed_over_existing_data_without_reset(db, frozen):
    seed()
    with pytest.raises(CommandError, match="--reset"):
        seed()
    assert Appeal.objects.count() == 60
    with pytest.raises(CommandError, match="不能为负数"):
        seed("--reset", appeals=-1)


def test_it_resets_and_reseeds_the_same_data_keeping_superusers(db, frozen):
    root = User.objects.create_superuser("root", "root@example.gov.cn", "pw-12345678")
    seed()
    first = list(Appeal.objects.order_by("registered_at").values_list("title", "status", "tracking_code"))
    appeal = Appeal.objects.filter(status=Status.HANDLING).first()
    clerk = User.objects.get(username="clerk_city")
    actions.reveal_identity(appeal, clerk)  # audit rows point at demo people with PROTECT
    actions.reveal_identity(appeal, root)
    seed("--reset")
    again = list(Appeal.objects.order_by("registered_at").values_list("title", "status", "tracking_code"))
    assert again == first
    assert User.objects.filter(username="root", is_superuser=True).exists()
    assert OrgUnit.objects.filter(name="宁川市").count() == 1
    other = seed("--reset", seed=7)
    assert "诉求 60 条" in other
    assert list(Appeal.objects.values_list("title", "status", "tracking_code")) != first


def test_it_lets_every_demo_user_log_in_with_the_printed_password(db, frozen):
    output = seed(appeals=0)
    password = re.search(r"密码均为 (\S+?)）", output).group(1)
    for role in Role:
        assert str(role.label) in output
    users = User.objects.filter(is_superuser=False)
    assert users.count() > 100
    for role in Role:
        assert Membership.objects.filter(role=role).exists()
    client = Client()
    for user in users:
        assert user.email == f"{user.username}@demo.gov.cn" and user.display_name
        assert client.login(username=user.username, password=password), user.username
        client.logout()


# --- the data is what the actions would have written ------------------------------------------


def _replay(appeal):
    """Run the appeal's timeline through the real actions, at the recorded times."""
    ratings = {r.at: r for r in appeal.ratings.all()}
    deliveries = list(appeal.deliveries.all())
    reps = [(r.name, crypto.decrypt(r.phone_encrypted)) for r in appeal.representatives.all()]
    copy = None
    for e in appeal.events.all():
        with time_machine.travel(e.at, tick=False):
            k = e.kind
            if k == EventKind.REGISTER:
                copy = actions.register(
                    registered_unit=appeal.registered_unit,
                    actor=e.actor,
                    channel=appeal.channel,
                    title=appeal.title,
                    content=appeal.content,
                    petitioner_name=appeal.petitioner_name,
                    phone=appeal.phone,
                    id_number=appeal.id_number,
                    category=appeal.category,
                    place_unit=appeal.place_unit,
                    address=appeal.address,
                    is_group=appeal.is_group,
                    headcount=appeal.headcount,
                    representatives=reps,
                    is_report=appeal.is_report,
                    accused_unit=appeal.accused_unit,
                )
            elif k == EventKind.DISPATCH:
                copy = actions.dispatch(copy, e.actor, unit=e.unit, note=e.internal_note)
            elif k == EventKind.NOT_ACCEPT:
                route, organ = appeal.redirect_route, appeal.redirect_organ
                copy = actions.not_accept(copy, e.actor, reason=appeal.reason, route=route, organ=organ)
            elif k == EventKind.DUPLICATE:
                copy = actions.mark_duplicate(copy, e.actor, original=appeal.original)
            elif k == EventKind.OBJECT:
                copy = actions.object_to_dispatch(copy, e.actor, reason=e.note)
            elif k in (EventKind.OBJECTION_UPHELD, EventKind.OBJECTION_REJECTED):
                copy = actions.resolve_objection(copy, e.actor, upheld=k == EventKind.OBJECTION_UPHELD)
            elif k == EventKind.INFORM:
                copy = actions.inform(copy, e.actor, note=e.note)
            elif k == EventKind.HANDLE:
                copy = actions.handle(copy, e.actor, note=e.note)
            elif k == EventKind.EXTENSION_REQUEST:
                days, reason = re.fullmatch(r"申请延期 (\d+) 日：(.*)", e.note).groups()
                copy = actions.request_extension(copy, e.actor, days=int(days), reason=reason)
            elif k in (EventKind.EXTENSION_APPROVED, EventKind.EXTENSION_REJECTED):
                approve = k == EventKind.EXTENSION_APPROVED
                note = "" if approve else e.note
                copy = actions.decide_extension(copy, e.actor, approve=approve, note=note)
            elif k == EventKind.REPLY:
                copy = actions.reply(copy, e.actor, text=e.note)
            elif k == EventKind.RATE:
                copy = actions.rate(copy, score=ratings[e.at].score, comment=ratings[e.at].comment)
            elif k in (EventKind.REVIEW_REQUEST, EventKind.RECHECK_REQUEST):
                copy = actions.request_review(copy, e.actor, reason=e.note)
            elif k in (EventKind.REVIEW_DECISION, EventKind.RECHECK_DECISION):
                decision = (
                    appeal.review_decision if k == EventKind.REVIEW_DECISION else appeal.recheck_decision
                )
                reasons = e.note.split("。", 1)[1]  # after the decision's label
                copy = actions.decide_review(copy, e.actor, decision=decision, text=reasons)
            elif k == EventKind.CLOSE:
                copy = actions.close(copy, e.actor, note=e.internal_note)
            elif k == EventKind.DELIVERY:
                d = deliveries.pop(0)
                if d.method == "portal":
                    actions.record_portal_view(copy)
                    copy.refresh_from_db()
                else:
                    copy = actions.record_delivery(
                        copy, e.actor, method=d.method, delivered_on=d.delivered_on
                    )
            elif k == EventKind.OVERDUE:
                deadlines.note_overdue(deadlines.current(copy), timezone.localdate(e.at))
            elif k == EventKind.SUPERVISE:
                actions.supervise(copy, e.actor, note=e.note)
                copy.refresh_from_db()
            else:
                raise AssertionError(f"unexpected event {k}")
    return copy


COMPARED = [
    "status",
    "version",
    "category_id",
    "place_unit_id",
    "registered_unit_id",
    "registered_by_id",
    "suggested_unit_id",
    "handling_unit_id",
    "review_unit_id",
    "original_id",
    "headcount",
    "due_date",
    "due_provisional",
    "registered_at",
    "dispatched_at",
    "accepted_at",
    "replied_at",
    "closed_at",
    "reply_text",
    "review_text",
    "recheck_text",
    "reason",
    "redirect_route",
    "redirect_organ",
    "phone_digest",
    "id_digest",
    "extension_pending_days",
    "extension_reason",
    "extended",
    "unsatisfied",
    "final",
]


CLOCK = ("rule", "days", "working", "basis", "start", "extension_days", "due", "provisional", "latest_due")
OVERDUE = ("clock__rule", "due", "provisional", "ended_on")
DELIVERY = ("document", "method", "delivered_on", "recorded_by")


def _clock(clock):
    return tuple(getattr(clock, name) for name in CLOCK) + (clock.started_at, clock.stopped_at)


def _clocks(appeal):
    return [_clock(c) for c in Clock.objects.filter(appeal=appeal).order_by("started_at", "id")]


def _timeline(appeal):
    return [
        (e.kind, e.at, e.actor_id, e.unit_id, e.note, e.public, e.internal_note)
        for e in Event.objects.filter(appeal=appeal).exclude(kind=EventKind.DUPLICATE, public=False)
    ]


def test_it_writes_exactly_what_the_actions_would_have_written(db, frozen):
    seed()
    generated = (
        Appeal.objects.filter(repeats__isnull=True)
        .select_related("registered_unit", "category", "place_unit", "accused_unit", "original")
        .order_by("registered_at")
    )
    generated = [a for a in generated if not (a.original and a.original.final)]
    assert len({a.status for a in generated}) == len(Status.values)
    for appeal in generated:
        # the copy is the same petitioner's same matter: hide the original from §36's check
        Appeal.objects.filter(pk=appeal.pk).update(phone_digest="", id_digest="")
        copy = _replay(appeal)
        for name in COMPARED:
            assert getattr(copy, name) == getattr(appeal, name), (appeal.status, name)
        assert _timeline(copy) == _timeline(appeal)
        assert list(copy.ratings.values_list("stage", "score", "comment", "at")) == list(
            appeal.ratings.values_list("stage", "score", "comment", "at")
        )
        assert _clocks(copy) == _clocks(appeal)
        assert (copy.clock is None) == (appeal.clock is None)
        if copy.clock:
            assert _clock(copy.clock) == _clock(appeal.clock)
        for related, fields in (("overdue_periods", OVERDUE), ("deliveries", DELIVERY)):
            mine, theirs = getattr(copy, related), getattr(appeal, related)
            assert list(mine.values_list(*fields)) == list(theirs.values_list(*fields)), related
        fields = ("unit", "sent_by", "sent_at", "note")
        assert list(Supervision.objects.filter(appeal=copy).values_list(*fields)) == list(
            Supervision.objects.filter(appeal=appeal).values_list(*fields)
        )


def test_it_places_the_year_of_appeals_before_today(db, frozen):
    seed()
    oldest = Appeal.objects.order_by("registered_at").first().registered_at
    assert oldest >= timezone.now() - timedelta(days=365)
    assert Appeal.objects.filter(registered_at__lt=timezone.now() - timedelta(days=150)).exists()
