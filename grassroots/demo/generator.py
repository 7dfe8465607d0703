"""A year of demo appeals, written in bulk but exactly as the actions would have left them.

Each appeal follows a *scenario* (closed after a rating, overdue with a 督办 notice,
objected, …). `Sim` replays the scenario's steps with the same rules and field changes
as `appeals.actions` — status checks, clocks, version, timeline events — but in memory,
so 2,000 appeals are one bulk insert instead of 15,000 transactions. Notifications are
not sent: the demo's petitioners do not exist.

Times: every scenario is first run from an arbitrary start to learn how long it takes,
then placed so that it ends where the scenario says (e.g. a reply in the last 20 days,
an acceptance more than 60 days ago) and run again with the same random delays.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone

from grassroots.appeals import deadlines as dl
from grassroots.appeals.models import (
    Appeal,
    Channel,
    Clock,
    Delivery,
    Document,
    Event,
    EventKind,
    Overdue,
    Rating,
    Representative,
    ReviewDecision,
    Status,
    Supervision,
)
from grassroots.lib import crypto
from grassroots.workcal.models import DeadlineRule, load_calendar

from . import orgtree, texts

TRACKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # as appeals.models.new_tracking_code
YEAR = 365


class SimError(Exception):
    """A step the real action would refuse (too late, wrong state): try other times."""


class Timekeeper:
    """The rules and the calendar, read once: clocks computed as deadlines.compute does."""

    def __init__(self):
        self.rules = {r.key: r for r in DeadlineRule.objects.all()}
        self.calendar = load_calendar()

    def new_clock(self, appeal, key, start, at) -> Clock:
        rule = self.rules[key]
        clock = Clock(
            appeal=appeal, rule=key, days=rule.days, working=rule.working_days, basis=rule.basis, start=start
        )
        clock.started_at = at
        self.refresh(clock)
        return clock

    def refresh(self, clock):
        clock.due, clock.provisional, clock.latest_due = dl.compute(clock, self.calendar, pauses=[])

    def workday_on_or_after(self, day):
        while not self.calendar.is_working_day(day):
            day += timedelta(days=1)
        return day


@dataclass
class Case:
    """What an appeal is about and who deals with it; fixed before any time is chosen."""

    index: int
    scenario: str
    template: Appeal  # the appeal as registered; every try starts from a copy
    topic: dict
    slots: texts.Slots
    representatives: list
    county: orgtree.County
    township: object
    place_chain: list
    right_unit: object  # the unit the catalogue (or 属地) gives
    wrong_unit: object  # a plausible wrong dispatch, for objections
    plan: dict


class Sim:
    """One appeal's life, step by step, with the effects of the matching action."""

    def __init__(self, ctx, case: Case, rng: random.Random):
        self.ctx, self.case, self.rng = ctx, case, rng
        self.a = _fresh_copy(case.template)
        self.events, self.ratings, self.supervisions = [], [], []
        self.clocks, self.overdue, self.deliveries = [], [], []
        self.main = None  # the running clock, as Appeal.clock
        self.t = None
        self.anchor = None  # the day the scenario's timing is about; default: the last step

    # --- time -------------------------------------------------------------------

    def local(self, dt):
        return dt.astimezone(self.ctx.tz)

    def today(self):
        return self.local(self.t).date()

    def _at(self, day, lo=(8, 30), hi=(17, 30)):
        minutes = self.rng.randint(lo[0] * 60 + lo[1], hi[0] * 60 + hi[1])
        naive = datetime.combine(day, time()) + timedelta(minutes=minutes)
        return timezone.make_aware(naive, self.ctx.tz)

    def office(self, lo, hi):
        """Move on to office hours of a working day `lo`–`hi` days later (staff act)."""
        day = self.ctx.clock.workday_on_or_after(self.today() + timedelta(days=self.rng.randint(lo, hi)))
        self._advance(self._at(day))

    def office_on(self, day):
        self._advance(self._at(self.ctx.clock.workday_on_or_after(max(day, self.today()))))

    def anytime(self, lo, hi):
        """`lo`–`hi` days later at any waking hour (the petitioner acts)."""
        day = self.today() + timedelta(days=self.rng.randint(lo, hi))
        self._advance(self._at(day, (7, 0), (22, 59)))

    def _advance(self, moment):
        if moment <= self.t:
            moment = self.t + timedelta(minutes=self.rng.randint(5, 90))
        self.t = moment

    # --- bookkeeping ----------------------------------------------------------------

    def event(self, kind, actor, unit, note, public=True, appeal=None, internal_note=""):
        self.events.append((appeal or self.a, kind, self.t, actor, unit, note, public, internal_note))

    def _start_clock(self, key, start):
        self._stop_clock()
        self.main = self._new_clock(key, start)
        self._mirror()

    def _new_clock(self, key, start):
        clock = self.ctx.clock.new_clock(self.a, key, start, self.t)
        self.clocks.append(clock)
        return clock

    def _mirror(self):
        main = self.main
        self.a.due_date = main.due if main else None
        self.a.due_provisional = main.provisional if main else False

    def _overrun(self, clock, ended_on):
        """deadlines.note_overdue: a unit's limit passed before its step."""
        if (
            clock.rule in dl.UNIT_LIMITS
            and clock.due is not None
            and (ended_on or self.ctx.today) > clock.due
        ):
            at = self._at(clock.due + timedelta(days=1), (0, 5), (0, 55))
            overdue = Overdue(appeal=self.a, clock=clock, due=clock.due, provisional=clock.provisional)
            overdue.ended_on, overdue.recorded_at = ended_on, at
            self.overdue.append(overdue)
            note = f"{clock.basis}规定的期限已于 {clock.due:%Y年%m月%d日} 届满，此后仍未办理，记为超期。"
            self.events.append((self.a, EventKind.OVERDUE, at, None, None, note, False, ""))

    def _stop_clock(self):
        for clock in self.clocks:
            if clock.stopped_at is None:
                self._overrun(clock, self.today())
                clock.stopped_at = self.t
        self.main = None
        self._mirror()

    def finish(self):
        """What the hourly job would have recorded by now: limits overrun and still running."""
        for clock in self.clocks:
            if clock.stopped_at is None:
                self._overrun(clock, None)

    def _claim(self, *statuses):
        if statuses and self.a.status not in statuses:
            raise SimError(f"{self.a.status} not in {statuses}")
        self.a.version += 1

    @property
    def clerk(self):
        return self.ctx.org.clerks[self.a.registered_unit_id]

    def handler(self):
        return self.ctx.org.handlers[self.a.handling_unit.pk]

    # --- the actions -------------------------------------------------------------------

    def register(self, start):
        a = self.a
        if a.channel == Channel.ONLINE:
            self.t = self._at(start, (7, 0), (23, 30))
        else:
            self.t = self._at(self.ctx.clock.workday_on_or_after(start))
        a.registered_at = self.t
        self._start_clock(dl.DISPATCH, self.today())
        actor = None if a.channel == Channel.ONLINE else self.clerk
        self.event(EventKind.REGISTER, actor, a.registered_unit, f"通过「{a.get_channel_display()}」渠道登记")

    def not_accept(self, reason, route, organ):
        self._claim(Status.REGISTERED, Status.OBJECTED)
        a = self.a
        a.reason, a.status, a.closed_at = reason, Status.NOT_ACCEPTED, self.t
        a.redirect_route, a.redirect_organ = route, organ.format(county=self.case.county.unit.name)
        self._stop_clock()
        self.event(EventKind.NOT_ACCEPT, self.clerk, a.registered_unit, f"{reason}\n{a.redirect_text()}")

    def mark_duplicate(self, original: Sim):
        self._claim(Status.REGISTERED, Status.OBJECTED)
        a = self.a
        a.original, a.status, a.closed_at = original.a, Status.DUPLICATE, self.t
        self._stop_clock()
        note = "与此前登记的同一事项合并办理（重复件）"
        if _final_by(original, self.t):
            note += "；原件已复核终结，同一诉求不再受理（第三十六条）"
        self.event(EventKind.DUPLICATE, self.clerk, a.registered_unit, note)
        # on the original's timeline, at this moment (not the original's own clock)
        note = f"收到重复件 {a.tracking_code}"
        original.events.append(
            (original.a, EventKind.DUPLICATE, self.t, self.clerk, a.registered_unit, note, False, "")
        )

    def dispatch(self, unit, note=""):
        self._claim(Status.REGISTERED, Status.OBJECTED)
        a = self.a
        if a.is_report and a.accused_unit and a.accused_unit.contains(unit):
            raise SimError("report dispatched to the accused")
        a.handling_unit, a.status, a.dispatched_at, a.reason = unit, Status.DISPATCHED, self.t, ""
        self._start_clock(dl.INFORM, self.today())
        self._new_clock(dl.OBJECTION, self.today())
        self.event(EventKind.DISPATCH, self.clerk, unit, f"交办至{unit.name}", internal_note=note)

    def object(self, reason):
        self._claim(Status.DISPATCHED)
        a = self.a
        window = [c for c in self.clocks if c.rule == dl.OBJECTION][-1]
        if self.today() > window.due:
            raise SimError("objection too late")
        a.reason, a.status = reason, Status.OBJECTED
        self.event(EventKind.OBJECT, self.handler(), a.handling_unit, reason, public=False)

    def resolve_objection(self, upheld, note=""):
        self._claim(Status.OBJECTED)
        a = self.a
        if upheld:
            unit = a.handling_unit
            a.handling_unit, a.status = None, Status.REGISTERED
            self._start_clock(dl.DISPATCH, self.local(a.registered_at).date())
            kind, text = EventKind.OBJECTION_UPHELD, f"{unit.name}的异议成立，退回重新交办。{note}"
        else:
            a.status = Status.DISPATCHED
            kind, text = EventKind.OBJECTION_REJECTED, f"异议不成立，维持交办。{note}"
        self.event(kind, self.clerk, a.registered_unit, text.strip(), public=False)

    def inform(self, note):
        self._claim(Status.DISPATCHED)
        a = self.a
        a.status, a.accepted_at = Status.HANDLING, self.t
        self._start_clock(dl.CONCLUDE, self.today())
        self.event(EventKind.INFORM, self.handler(), a.handling_unit, note)

    def handle(self, note):
        self._claim(Status.HANDLING)
        self.event(EventKind.HANDLE, self.handler(), self.a.handling_unit, note, public=False)

    def request_extension(self, days, reason):
        self._claim(Status.HANDLING)
        a = self.a
        longest = self.ctx.clock.rules[dl.EXTENSION_MAX].days
        if a.extended or a.extension_pending_days or not 1 <= days <= longest:
            raise SimError("extension refused")
        if self.today() > a.due_date:
            raise SimError("extension asked for after the limit ran out")
        a.extension_pending_days, a.extension_reason = days, reason
        self.event(
            EventKind.EXTENSION_REQUEST,
            self.handler(),
            a.handling_unit,
            f"申请延期 {days} 日：{reason}",
            public=False,
        )

    def decide_extension(self, approve, note=""):
        self._claim(Status.HANDLING)
        a = self.a
        if not a.extension_pending_days:
            raise SimError("no pending extension")
        days, a.extension_pending_days = a.extension_pending_days, 0
        head = self.ctx.org.heads[a.handling_unit.pk]
        if approve:
            a.extended = True
            clock = self.main
            self._overrun(clock, self.today())  # approved after the limit ran out: on record
            clock.extension_days = days
            clock.extension_from_expiry = self.ctx.clock.rules[dl.EXTENSION_MAX].extends_from_expiry
            self.ctx.clock.refresh(clock)
            self._mirror()
            self.event(
                EventKind.EXTENSION_APPROVED,
                head,
                a.handling_unit,
                f"延期 {days} 日，新的办理期限为 {a.due_date:%Y年%m月%d日}。理由：{a.extension_reason}",
            )
        else:
            self.event(
                EventKind.EXTENSION_REJECTED, head, a.handling_unit, note or "不批准延期", public=False
            )

    def reply(self, text):
        self._claim(Status.HANDLING)
        a = self.a
        a.reply_text, a.status, a.replied_at, a.rated = text, Status.REPLIED, self.t, False
        self._start_clock(dl.REVIEW_REQUEST, None)  # the 30 days run from delivery (§35)
        self.event(EventKind.REPLY, self.handler(), a.handling_unit, text)

    def deliver(self, document):
        """送达: by a look at the portal for online petitioners, else by post or in person."""
        a = self.a
        method = (
            Delivery.Method.PORTAL
            if a.channel == Channel.ONLINE
            else self.rng.choice([Delivery.Method.POST, Delivery.Method.IN_PERSON, Delivery.Method.SMS])
        )
        on = self.today()
        actor = None if method == Delivery.Method.PORTAL else self.clerk
        self._claim()
        self.deliveries.append(
            Delivery(
                appeal=a,
                document=document,
                method=method,
                delivered_on=on,
                recorded_by=actor,
                recorded_at=self.t,
            )
        )
        text = f"{Document(document).label}已于 {on:%Y年%m月%d日} {Delivery.Method(method).label}"
        window = self.main
        if window is not None and window.rule in dl.PETITIONER_WINDOWS and window.start is None:
            window.start = on
            self.ctx.clock.refresh(window)
            self._mirror()
            text += (
                f"；申请{'复查' if document == Document.REPLY else '复核'}的期限至 {window.due:%Y年%m月%d日}"
            )
        self.event(EventKind.DELIVERY, actor, None, text + "。")

    def close(self, note=""):
        self._claim(Status.REPLIED, Status.REVIEWED)
        a = self.a
        a.status, a.closed_at = Status.CLOSED, self.t
        self.event(EventKind.CLOSE, self.clerk, a.registered_unit, "办结", internal_note=note)

    def rate(self, score, comment):
        a = self.a
        stage = "recheck" if a.final else "review" if a.review_text else "reply" if a.reply_text else None
        if stage is None or any(r.stage == stage for r in self.ratings):
            raise SimError("nothing to rate")
        self._claim()
        rating = Rating(appeal=a, stage=stage, score=score, comment=comment, at=self.t)
        self.ratings.append(rating)
        a.unsatisfied, a.rated = score == Rating.Score.UNSATISFIED, True
        self.event(
            EventKind.RATE,
            None,
            None,
            f"评价：{rating.get_score_display()}" + (f"。{comment}" if comment else ""),
        )

    def request_review(self, reason):
        a = self.a
        today = self.today()
        window, stage = self.main, None
        if not a.final and window is not None and window.rule in dl.PETITIONER_WINDOWS:
            stage = dl.PETITIONER_WINDOWS[window.rule]
            answered = Status.REPLIED if stage == "review" else Status.REVIEWED
            open_ = window.start is None or today <= (window.latest_due or window.due)
            if a.status not in (answered, Status.CLOSED) or not open_:
                stage = None
        if stage is None:
            raise SimError("review window closed")
        answered_by = a.handling_unit if stage == "review" else a.review_unit
        if answered_by.reviewing_organ() is None:
            raise SimError("no reviewing organ configured")
        self._claim()
        a.review_unit = answered_by.reviewing_organ()
        a.status = Status.REVIEWING if stage == "review" else Status.RECHECKING
        self._start_clock(dl.REVIEW_DECIDE if stage == "review" else dl.RECHECK_DECIDE, today)
        kind = EventKind.REVIEW_REQUEST if stage == "review" else EventKind.RECHECK_REQUEST
        actor = None if a.channel == Channel.ONLINE else self.clerk
        self.event(kind, actor, a.review_unit, reason)

    def decide_review(self, decision, reasons):
        self._claim(Status.REVIEWING, Status.RECHECKING)
        a = self.a
        text = f"{ReviewDecision(decision).label}。{reasons}"  # as actions.decide_review writes it
        if a.status == Status.REVIEWING:
            a.review_text, a.review_decision, a.status = text, decision, Status.REVIEWED
            a.unsatisfied = a.rated = False
            self._start_clock(dl.RECHECK_REQUEST, None)
            kind = EventKind.REVIEW_DECISION
        else:
            a.recheck_decision, a.rated = decision, False
            a.recheck_text, a.status, a.final, a.unsatisfied, a.closed_at = (
                text,
                Status.CLOSED,
                True,
                False,
                self.t,
            )
            self._stop_clock()
            kind = EventKind.RECHECK_DECISION
        self.event(kind, self.ctx.org.leaders[a.review_unit.pk], a.review_unit, text)

    def supervise(self, note):
        a = self.a
        if (
            a.status
            not in (
                Status.DISPATCHED,
                Status.OBJECTED,
                Status.HANDLING,
                Status.REVIEWING,
                Status.RECHECKING,
                Status.REGISTERED,
            )
            or a.handling_unit is None
        ):
            raise SimError("not supervisable")
        supervisor = self.ctx.supervisor_for(a, self.case.county)
        ack = self.t + timedelta(hours=self.rng.randint(1, 30))
        if self.rng.random() < 0.4 or ack > self.ctx.now:
            ack = None
        self.supervisions.append(
            Supervision(
                appeal=a,
                unit=a.handling_unit,
                sent_by=supervisor,
                sent_at=self.t,
                note=note,
                acknowledged_at=ack,
            )
        )
        a.version += 1
        self.event(EventKind.SUPERVISE, supervisor, a.handling_unit, note, public=False)

    # --- phrases that need the case ----------------------------------------------------------

    def pick(self, options, **extra):
        return self.rng.choice(options).format(**{**self.case.slots.values, **extra})

    def reply_text(self):
        handler = self.handler()
        return texts.compose_reply(
            self.rng,
            self.case.topic,
            self.case.slots,
            unit=self.a.handling_unit.name,
            contact=handler.display_name,
            phone=handler.phone,
            days=self.rng.choice((7, 10, 15, 30)),
        )


# --- scenarios --------------------------------------------------------------------------------


def _dispatch_and_inform(sim, objection=None):
    case = sim.case
    sim.office(0, 2)
    sim.dispatch(
        case.wrong_unit if objection == "upheld" else case.right_unit,
        note=sim.rng.choice(["", "", "请按期办理。", "请依法依规处理并按时答复。"]),
    )
    if objection:
        sim.office(1, 3)
        other = case.right_unit if objection == "upheld" else case.wrong_unit
        sim.object(sim.pick(texts.OBJECTION_REASONS, right=other.name))
        sim.office(0, 2)
        sim.resolve_objection(upheld=objection == "upheld")
        if objection == "upheld":
            sim.office(0, 1)
            sim.dispatch(case.right_unit)
    sim.office(1, 8)
    sim.inform(sim.pick(texts.INFORM_NOTES))


def _handle_steps(sim, count):
    for _ in range(count):
        sim.office(1, 6)
        sim.handle(sim.pick(texts.HANDLE_NOTES))


def _rate(sim, score=None):
    plan = sim.case.plan
    score = score or plan["score"]
    sim.anytime(0, 6)
    sim.rate(score, sim.rng.choice(texts.RATING_COMMENTS[score]))


def _deliver(sim, document):
    """Most written answers reach the petitioner within days; a few are not yet recorded as delivered."""
    if sim.rng.random() < 0.92:
        sim.anytime(0, 5)
        sim.deliver(document)


def _reply(sim, lo=3, hi=30):
    sim.office(lo, hi)
    sim.reply(sim.reply_text())
    _deliver(sim, Document.REPLY)


def _review(sim, recheck=False):
    sim.anytime(2, 18)
    sim.request_review(sim.pick(texts.RECHECK_REASONS if recheck else texts.REVIEW_REASONS))


def _decide(sim, recheck=False):
    sim.office(5, 24)
    decision, reasons = sim.rng.choice(texts.RECHECK_DECISIONS if recheck else texts.REVIEW_DECISIONS)
    sim.decide_review(decision, reasons.format(unit=sim.a.handling_unit.name))
    _deliver(sim, Document.RECHECK if recheck else Document.REVIEW)


def _to_reply(sim, objection=None):
    _dispatch_and_inform(sim, objection=objection)
    _handle_steps(sim, sim.case.plan["handles"])
    _reply(sim)


def _close(sim):
    sim.office(2, 12)
    sim.close(sim.rng.choice(texts.CLOSE_NOTES_UNSATISFIED if sim.a.unsatisfied else texts.CLOSE_NOTES))


def flow_closed(sim, objection=None):
    _to_reply(sim, objection)
    if sim.case.plan["rated"]:
        _rate(sim)
    _close(sim)


def flow_closed_extended(sim, approve=True):
    _dispatch_and_inform(sim)
    _handle_steps(sim, 1)
    sim.office_on(sim.a.due_date - timedelta(days=sim.rng.randint(4, 12)))
    sim.request_extension(sim.rng.choice((10, 15, 20, 30)), sim.rng.choice(texts.EXTENSION_REASONS))
    sim.office(0, 3)
    sim.decide_extension(approve, "" if approve else "现有期限内可以办结，不予延期。")
    _handle_steps(sim, 1)
    _reply(sim, 1, 4)
    _rate(sim)
    _close(sim)


def flow_closed_unsatisfied(sim):
    _to_reply(sim)
    _rate(sim, Rating.Score.UNSATISFIED)
    _close(sim)


def flow_closed_after_review(sim):
    _to_reply(sim)
    _rate(sim, Rating.Score.UNSATISFIED)
    _review(sim)
    _decide(sim)
    _rate(sim, sim.rng.choice([Rating.Score.SATISFIED, Rating.Score.BASIC]))
    _close(sim)


def flow_closed_supervised(sim):
    _dispatch_and_inform(sim)
    _handle_steps(sim, 1)
    _supervise_overdue(sim)
    _reply(sim, 1, 8)
    _rate(sim)
    _close(sim)


def _maybe_unsatisfied(sim, chance=0.6):
    """Petitioners who go on to ask for 复查/复核 often, not always, say so in a rating first."""
    if sim.rng.random() < chance:
        _rate(sim, Rating.Score.UNSATISFIED)


def flow_final(sim):
    _to_reply(sim)
    _maybe_unsatisfied(sim, 0.8)
    _review(sim)
    _decide(sim)
    _maybe_unsatisfied(sim, 0.5)
    _review(sim, recheck=True)
    _decide(sim, recheck=True)
    if sim.rng.random() < 0.5:
        _rate(sim, sim.rng.choice([Rating.Score.BASIC, Rating.Score.UNSATISFIED]))


def flow_replied(sim):
    _to_reply(sim)
    if sim.case.plan["rated"] and sim.rng.random() < 0.6:
        _rate(sim)


def flow_reviewing(sim):
    _to_reply(sim)
    _maybe_unsatisfied(sim)
    _review(sim)


def flow_reviewed(sim):
    flow_reviewing(sim)
    _decide(sim)
    if sim.rng.random() < 0.5:
        _rate(sim, sim.rng.choice([Rating.Score.SATISFIED, Rating.Score.BASIC]))


def flow_rechecking(sim):
    flow_reviewing(sim)
    _decide(sim)
    _maybe_unsatisfied(sim, 0.5)
    _review(sim, recheck=True)


def flow_handling(sim):
    _dispatch_and_inform(sim)
    _handle_steps(sim, sim.case.plan["handles"])


def _supervise_overdue(sim):
    sim.anchor = sim.a.due_date
    sim.office_on(sim.a.due_date + timedelta(days=sim.rng.randint(1, 6)))
    sim.supervise(texts.SUPERVISE_NOTES[0])
    if sim.rng.random() < 0.3:
        sim.office(3, 8)
        sim.supervise(texts.SUPERVISE_NOTES[2])


def flow_handling_overdue(sim):
    _dispatch_and_inform(sim)
    _handle_steps(sim, 1)
    sim.anchor = sim.a.due_date
    if sim.rng.random() < 0.85:
        _supervise_overdue(sim)


def flow_handling_ext_pending(sim):
    _dispatch_and_inform(sim)
    _handle_steps(sim, 1)
    sim.office_on(sim.a.due_date - timedelta(days=sim.rng.randint(3, 10)))
    sim.request_extension(sim.rng.choice((15, 20, 30)), sim.rng.choice(texts.EXTENSION_REASONS))


def flow_handling_extended(sim):
    _dispatch_and_inform(sim)
    _handle_steps(sim, 1)
    sim.office_on(sim.a.due_date - timedelta(days=sim.rng.randint(3, 10)))
    sim.request_extension(sim.rng.choice((15, 20, 30)), sim.rng.choice(texts.EXTENSION_REASONS))
    sim.office(0, 2)
    sim.decide_extension(True)


def flow_dispatched(sim):
    sim.office(0, 2)
    sim.dispatch(sim.case.right_unit)


def flow_dispatched_overdue(sim):
    flow_dispatched(sim)
    sim.anchor = sim.a.due_date
    sim.office_on(sim.a.due_date + timedelta(days=sim.rng.randint(1, 4)))
    sim.supervise(texts.SUPERVISE_NOTES[0])


def flow_registered(sim):
    pass


def flow_objected(sim):
    sim.office(0, 2)
    sim.dispatch(sim.case.wrong_unit)
    sim.office(1, 3)
    sim.object(sim.pick(texts.OBJECTION_REASONS, right=sim.case.right_unit.name))


def flow_not_accepted(sim):
    sim.office(0, 5)
    sim.not_accept(*sim.rng.choice(texts.NOT_ACCEPT_REASONS))


def _due_open(sim, today):
    return sim.a.due_date is not None and sim.a.due_date >= today


def _window_open(sim, today):
    """A petitioner's window still open, or not begun (the answer not delivered yet)."""
    return sim.main is not None and (sim.main.start is None or sim.a.due_date >= today)


def _due_passed(sim, today):
    return sim.a.due_date is not None and sim.a.due_date < today


@dataclass(frozen=True)
class Scenario:
    name: str
    status: str
    weight: float
    flow: object
    tail: tuple  # how many days before today the anchor lies: (lo, hi); hi=None: any time this year
    check: object = None


SCENARIOS = [
    Scenario("closed", Status.CLOSED, 42, flow_closed, (0, None)),
    Scenario("closed_extended", Status.CLOSED, 3, flow_closed_extended, (0, None)),
    Scenario(
        "closed_extension_refused",
        Status.CLOSED,
        0.7,
        lambda s: flow_closed_extended(s, approve=False),
        (0, None),
    ),
    Scenario("closed_objection_upheld", Status.CLOSED, 1.3, lambda s: flow_closed(s, "upheld"), (0, None)),
    Scenario(
        "closed_objection_rejected", Status.CLOSED, 0.8, lambda s: flow_closed(s, "rejected"), (0, None)
    ),
    Scenario("closed_unsatisfied", Status.CLOSED, 2, flow_closed_unsatisfied, (0, None)),
    Scenario("closed_after_review", Status.CLOSED, 2, flow_closed_after_review, (0, None)),
    Scenario("closed_supervised", Status.CLOSED, 2.5, flow_closed_supervised, (0, None)),
    Scenario("final", Status.CLOSED, 1.2, flow_final, (0, None)),
    Scenario("replied", Status.REPLIED, 11, flow_replied, (0, 20), _window_open),
    Scenario("reviewing", Status.REVIEWING, 1.8, flow_reviewing, (0, 25)),
    Scenario("reviewed", Status.REVIEWED, 1.4, flow_reviewed, (0, 20), _window_open),
    Scenario("rechecking", Status.RECHECKING, 0.9, flow_rechecking, (0, 25)),
    Scenario("handling", Status.HANDLING, 8, flow_handling, (0, 35), _due_open),
    Scenario("handling_overdue", Status.HANDLING, 2.2, flow_handling_overdue, (1, 40), _due_passed),
    Scenario("handling_extension_pending", Status.HANDLING, 1.2, flow_handling_ext_pending, (0, 5)),
    Scenario("handling_extended", Status.HANDLING, 1.5, flow_handling_extended, (0, 20), _due_open),
    Scenario("dispatched", Status.DISPATCHED, 3.5, flow_dispatched, (0, 10), _due_open),
    Scenario("dispatched_overdue", Status.DISPATCHED, 0.8, flow_dispatched_overdue, (1, 15), _due_passed),
    Scenario("registered", Status.REGISTERED, 3, flow_registered, (0, 10), _due_open),
    Scenario("objected", Status.OBJECTED, 0.9, flow_objected, (0, 2)),
    Scenario("not_accepted", Status.NOT_ACCEPTED, 3.5, flow_not_accepted, (0, None)),
    Scenario("duplicate", Status.DUPLICATE, 4, None, (0, None)),
]
BY_NAME = {s.name: s for s in SCENARIOS}


def plan_scenarios(count: int, rng: random.Random) -> list[str]:
    """Scenario names for `count` appeals: proportional to the weights, every scenario at
    least once when there are enough appeals, shuffled."""
    ranked = sorted(SCENARIOS, key=lambda s: -s.weight)
    if count < len(SCENARIOS):
        names = [s.name for s in ranked[:count]]
    else:
        spare = count - len(SCENARIOS)
        total = sum(s.weight for s in SCENARIOS)
        quota = {s.name: s.weight / total * spare for s in SCENARIOS}
        counts = {name: 1 + int(q) for name, q in quota.items()}
        by_remainder = sorted(quota, key=lambda name: int(quota[name]) - quota[name])
        for name in by_remainder[: count - sum(counts.values())]:
            counts[name] += 1
        names = [name for name, n in counts.items() for _ in range(n)]
    rng.shuffle(names)
    return names


# --- the run ---------------------------------------------------------------------------------


class Context:
    def __init__(self, org, categories, now, seed):
        self.org, self.categories, self.now, self.seed = org, categories, now, seed
        self.tz = timezone.get_default_timezone()
        self.today = now.astimezone(self.tz).date()
        self.clock = Timekeeper()
        self.dept_key = {}
        for county in org.counties:
            for key, unit in county.departments.items():
                self.dept_key[unit.pk] = (county, key)

    def supervisor_for(self, appeal, county):
        if appeal.registered_unit_id == self.org.city_departments["xinfang"].pk:
            return self.org.supervisors[self.org.city.pk]
        return self.org.supervisors[county.unit.pk]


def _new_case(ctx, index, scenario, codes) -> Case:
    rng = random.Random(f"{ctx.seed}:case:{index}")
    org = ctx.org
    village, township, county = rng.choice(org.villages)
    place_chain = [village, township, county.unit, org.city]
    urban = village.name.endswith("社区")
    place = texts.Place(county=county.unit.name, township=township.name, village=village.name, urban=urban)
    slots = texts.Slots(rng, place)

    channel = rng.choices(list(Channel.values), weights=[25, 8, 25, 32, 10])[0]
    is_group = (
        scenario != "duplicate" and channel in (Channel.VISIT, Channel.OUTREACH) and rng.random() < 0.35
    )
    is_report = (
        scenario
        in ("closed", "replied", "handling", "dispatched", "registered", "closed_supervised", "not_accepted")
        and rng.random() < 0.05
    )
    accused = None
    if is_report:
        topic = rng.choice(texts.REPORT_TOPICS)
        accused = rng.choice([village, township, rng.choice(list(county.departments.values())[1:6])])
        slots.values.update(
            accused=accused.name if accused.level != 5 else f"{township.name}{village.name}",
            matter=rng.choice(texts.REPORT_MATTERS),
        )
    else:
        topic = texts.pick_topic(rng, urban, group=is_group)
    category = ctx.categories[topic["cat"]]
    title, content = texts.compose_message(rng, topic, slots, group=is_group)

    representatives = []
    if is_group:
        representatives = [(texts.person_name(rng), texts.mobile(rng)) for _ in range(rng.randint(2, 5))]
        name, phone = representatives[0]
    else:
        name, phone = texts.person_name(rng), texts.mobile(rng)
    id_no = texts.id_number(rng) if rng.random() < 0.4 else ""

    city_desk = rng.random() < 0.15
    desk = org.city_departments["xinfang"] if city_desk else county.departments["xinfang"]
    suggested = orgtree.suggest(org, category, village, place_chain)
    right = suggested or township
    if city_desk and right.pk in ctx.dept_key and rng.random() < 0.25:
        key = ctx.dept_key[right.pk][1]
        if key in orgtree.CITY_HANDLING:
            right = org.city_departments[key]
    if right.level == 4:
        wrong = rng.choice([county.departments[k] for k in ("zhujian", "chengguan", "minzheng")])
    else:
        wrong = township

    template = Appeal(
        tracking_code=codes.pop(),
        channel=channel,
        title=title,
        content=content,
        category=category,
        place_unit=village,
        address=slots.values["addr"],
        petitioner_name=name,
        phone_encrypted=crypto.encrypt(phone),
        id_number_encrypted=crypto.encrypt(id_no),
        phone_digest=crypto.digest("phone", phone),
        id_digest=crypto.digest("id_number", id_no),
        is_group=is_group,
        headcount=max(slots.values["n"] if is_group else 1, len(representatives)),
        is_report=is_report,
        accused_unit=accused,
        registered_unit=desk,
        registered_by=None if channel == Channel.ONLINE else org.clerks[desk.pk],
        suggested_unit=suggested,
    )
    score = rng.choices(list(Rating.Score.values), weights=[84, 13, 3])[0]
    plan = {"handles": rng.choice((0, 1, 1, 2)), "rated": rng.random() < 0.85, "score": score}
    return Case(
        index,
        scenario,
        template,
        topic,
        slots,
        representatives,
        county,
        township,
        place_chain,
        right,
        wrong,
        plan,
    )


_TEMPLATE_RELATIONS = (
    "category",
    "place_unit",
    "registered_unit",
    "registered_by",
    "suggested_unit",
    "accused_unit",
)


def _fresh_copy(template: Appeal) -> Appeal:
    """An unsaved copy of the template (a try must not inherit the previous try's changes)."""
    fresh = Appeal(**{f.attname: getattr(template, f.attname) for f in Appeal._meta.concrete_fields})
    for name in _TEMPLATE_RELATIONS:
        setattr(fresh, name, getattr(template, name))
    return fresh


def _run(ctx, case, scenario, attempt, start):
    sim = Sim(ctx, case, random.Random(f"{ctx.seed}:time:{case.index}:{attempt}"))
    sim.register(start)
    scenario.flow(sim)
    return sim


def _anchor(sim):
    return sim.anchor or sim.t.astimezone(sim.ctx.tz).date()


def simulate(ctx, case) -> Sim:
    scenario = BY_NAME[case.scenario]
    now, today = ctx.now, ctx.today
    for attempt in range(60):
        rng = random.Random(f"{ctx.seed}:place:{case.index}:{attempt}")
        try:
            probe = _run(ctx, case, scenario, attempt, today - timedelta(days=YEAR))
            span = (_anchor(probe) - probe.a.registered_at.astimezone(ctx.tz).date()).days
            lo, hi = scenario.tail
            if hi is not None:  # long holidays leave no office day in a short window: widen it
                hi += 2 * (attempt // 4)
            hi = YEAR - 5 - span if hi is None else min(hi, YEAR - 5 - span)
            if hi < lo:
                continue
            start = today - timedelta(days=span + rng.randint(lo, hi))
            sim = _run(ctx, case, scenario, attempt, start)
        except SimError:
            continue
        a = sim.a
        if sim.t > now or a.registered_at < now - timedelta(days=YEAR) or a.status != scenario.status:
            continue
        strict = attempt < 45  # around long holidays, settle for the status without the finer point
        if strict and scenario.check is not None and not scenario.check(sim, today):
            continue
        return sim
    raise RuntimeError(f"no timeline fits scenario {case.scenario} (case {case.index})")


def simulate_duplicate(ctx, case, originals) -> Sim:
    """The same petitioner on the same matter again, a few days or months after the original."""
    rng = random.Random(f"{ctx.seed}:dup:{case.index}")
    candidates = [s for s in originals if s.a.registered_at < ctx.now - timedelta(days=6)]
    for attempt in range(60):
        if attempt % 6 == 0:
            original = rng.choice(candidates)
            _copy_matter(ctx, case, original, rng)
        first = original.a.registered_at.astimezone(ctx.tz).date() + timedelta(days=3)
        sim = Sim(ctx, case, random.Random(f"{ctx.seed}:time:{case.index}:{attempt}"))
        sim.register(first + timedelta(days=rng.randint(0, max(0, (ctx.today - first).days - 1))))
        if _final_by(original, sim.t):  # §36: refused at intake, never registered
            continue
        sim.office(0, 3)
        if sim.t > ctx.now:
            continue
        sim.mark_duplicate(original)
        return sim
    raise RuntimeError("no timeline fits a duplicate")


def _final_by(sim, moment) -> bool:
    return any(e[1] == EventKind.RECHECK_DECISION and e[2] <= moment for e in sim.events)


def _copy_matter(ctx, case, original, rng):
    o, a = original.a, case.template
    a.category, a.place_unit, a.address = o.category, o.place_unit, o.address
    a.petitioner_name, a.phone_encrypted, a.phone_digest = (
        o.petitioner_name,
        o.phone_encrypted,
        o.phone_digest,
    )
    a.id_number_encrypted, a.id_digest = o.id_number_encrypted, o.id_digest
    a.registered_unit, a.suggested_unit = o.registered_unit, o.suggested_unit
    a.registered_by = None if a.channel == Channel.ONLINE else ctx.org.clerks[a.registered_unit_id]
    case.topic, case.slots = original.case.topic, original.case.slots
    a.title = o.title if rng.random() < 0.5 else f"再次反映：{o.title}"[:100]
    registered = o.registered_at.astimezone(ctx.tz)
    when = f"{registered.month}月{registered.day}日"
    a.content = rng.choice(texts.REPEAT_OPENERS).format(when=when, code=o.tracking_code) + o.content


def tracking_codes(seed, count, taken) -> list[str]:
    rng = random.Random(f"{seed}:codes")
    codes = set()
    while len(codes) < count:
        code = "".join(rng.choice(TRACKING_ALPHABET) for _ in range(10))
        if code not in taken:
            codes.add(code)
    return sorted(codes, reverse=True)


def generate(org, categories, *, count: int, seed: int, now=None) -> dict:
    """Simulate and write `count` appeals; returns counts by status."""
    now = now or timezone.now()
    ctx = Context(org, categories, now, seed)
    names = plan_scenarios(count, random.Random(f"{seed}:plan"))
    taken = set(Appeal.objects.values_list("tracking_code", flat=True))
    codes = tracking_codes(seed, count, taken)
    random.Random(f"{seed}:shuffle").shuffle(codes)
    cases = [_new_case(ctx, i, name, codes) for i, name in enumerate(names)]
    sims = [simulate(ctx, c) for c in cases if c.scenario != "duplicate"]
    originals = list(sims)
    sims += [simulate_duplicate(ctx, c, originals) for c in cases if c.scenario == "duplicate"]
    for sim in sims:
        sim.finish()
    _write(sims)
    counts = {}
    for sim in sims:
        counts[sim.a.status] = counts.get(sim.a.status, 0) + 1
    return counts


def _write(sims):
    sims.sort(key=lambda s: s.a.registered_at)
    appeals = [s.a for s in sims]
    originals = {id(s.a): s.a.original for s in sims if s.a.original is not None}
    for a in appeals:
        a.original, a.clock = None, None
    Appeal.objects.bulk_create(appeals, batch_size=500)
    Clock.objects.bulk_create([c for s in sims for c in s.clocks], batch_size=1000)
    for s in sims:
        s.a.clock = s.main
        if id(s.a) in originals:
            s.a.original = originals[id(s.a)]
    Appeal.objects.bulk_update(appeals, ["original", "clock"], batch_size=500)
    Overdue.objects.bulk_create([o for s in sims for o in s.overdue], batch_size=1000)
    Delivery.objects.bulk_create([d for s in sims for d in s.deliveries], batch_size=1000)

    Representative.objects.bulk_create(
        [
            Representative(appeal=s.a, name=name, phone_encrypted=crypto.encrypt(phone))
            for s in sims
            for name, phone in s.case.representatives
        ],
        batch_size=500,
    )
    events = []
    for s in sims:
        for appeal, kind, at, actor, unit, note, public, internal in sorted(s.events, key=lambda e: e[2]):
            events.append(
                Event(
                    appeal=appeal,
                    kind=kind,
                    at=at,
                    actor=actor,
                    unit=unit,
                    note=note,
                    public=public,
                    internal_note=internal,
                )
            )
    events.sort(key=lambda e: e.at)
    Event.objects.bulk_create(events, batch_size=1000)

    ratings = [r for s in sims for r in s.ratings]
    times = [r.at for r in ratings]
    Rating.objects.bulk_create(ratings, batch_size=500)
    for rating, at in zip(ratings, times, strict=True):
        rating.at = at  # `at` is auto_now_add: put the petitioner's time back
    Rating.objects.bulk_update(ratings, ["at"], batch_size=500)
    Supervision.objects.bulk_create([v for s in sims for v in s.supervisions], batch_size=500)
