"""Requests kept on record (refused as late, taken on a provisional end, or without a reviewing
organ), and recomputing every clock after a calendar edit."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from grassroots.lib.actions import ActionError, require_text
from grassroots.notify.events import notify_after_commit

from .. import deadlines
from ..access import visible_appeals
from ..models import (
    DoubtfulRequest,
    Event,
    EventKind,
    Status,
)
from .common import _claim, _event, _today

# --- requests kept on record ---------------------------------------------------------------------


def reassess_doubtful_requests(today: date | None = None) -> int:
    """After the calendar or the configuration changed: mark the requests on record whose refusal
    (or provisional acceptance) the new facts contradict; returns how many were newly marked."""
    today = today or _today()
    marked = 0
    pending = DoubtfulRequest.objects.filter(resolution="", needs_attention=False).select_related(
        "window", "appeal__handling_unit", "appeal__review_unit"
    )
    for request in pending:
        note = _contradiction(request)
        if note:
            request.needs_attention, request.attention_note = True, note
            request.save(update_fields=["needs_attention", "attention_note"])
            marked += 1
        elif _confirmed_by_schedule(request):
            _resolve(
                request, None, DoubtfulRequest.Resolution.CONFIRMED, "节假日安排录入后确认申请时在期限内。"
            )
    return marked


def _confirmed_by_schedule(request) -> bool:
    """A request taken on a provisional end that the entered schedule shows was in time."""
    window = request.window
    return (
        request.outcome == DoubtfulRequest.Outcome.PROVISIONAL
        and window is not None
        and not window.provisional
        and request.requested_on <= window.due
    )


def _contradiction(request) -> str:
    window, asked = request.window, request.requested_on
    Outcome = DoubtfulRequest.Outcome
    if request.outcome == Outcome.REFUSED_LATE and window is not None and window.due is not None:
        if asked <= (window.latest_due or window.due):
            return f"按更新后的工作日历，申请期限至 {window.due:%Y年%m月%d日}，申请时尚在期限内，请重新受理。"
    if request.outcome == Outcome.PROVISIONAL and window is not None and not window.provisional:
        if asked > window.due:
            return f"按录入的节假日安排，申请期限已于 {window.due:%Y年%m月%d日} 届满，请审查此前的受理。"
    if request.outcome == Outcome.NO_ORGAN:
        appeal = request.appeal
        answered_by = appeal.handling_unit if request.stage == "review" else appeal.review_unit
        organ = answered_by.reviewing_organ() if answered_by else None
        if organ is not None and organ.pk != answered_by.pk:
            return f"已配置复查（复核）机关「{organ.name}」，请重新受理。"
    return ""


def doubtful_requests_for(user, limit: int = 20) -> list[DoubtfulRequest]:
    """The requests on record that need the desk's attention, within the user's appeals, oldest
    first. There are few of them: they are read first, then checked against the user's scope."""
    pending = list(
        DoubtfulRequest.objects.filter(needs_attention=True, resolution="")
        .select_related("appeal")
        .order_by("requested_at", "id")[:500]
    )
    visible = set(
        visible_appeals(user).filter(pk__in=[r.appeal_id for r in pending]).values_list("pk", flat=True)
    )
    return [r for r in pending if r.appeal_id in visible][:limit]


@transaction.atomic
def reopen_request(request, actor, *, note=""):
    """重新受理: take a request on record as made on the day it was made; the organ's 30 days run
    from that day (§35–36: 自收到复查（复核）请求之日起)."""
    request = DoubtfulRequest.objects.select_for_update().select_related("appeal").get(pk=request.pk)
    if request.resolution:
        raise ActionError("该申请已处理。")
    appeal = request.appeal
    if request.outcome == DoubtfulRequest.Outcome.PROVISIONAL:
        raise ActionError("该申请已经受理，只需确认或另行处理。")
    answered_by = appeal.handling_unit if request.stage == "review" else appeal.review_unit
    organ = answered_by.reviewing_organ() if answered_by else None
    if organ is None or organ.pk == answered_by.pk:
        raise ActionError("尚未配置复查（复核）机关，暂不能重新受理。")
    stage = request.stage
    expected = Status.REPLIED if stage == "review" else Status.REVIEWED
    if appeal.final or appeal.status not in (expected, Status.CLOSED):
        raise ActionError(f"诉求当前状态为「{appeal.get_status_display()}」，不能重新受理该申请。")
    appeal = _claim(appeal, None)
    appeal.review_unit = organ
    appeal.status = Status.REVIEWING if stage == "review" else Status.RECHECKING
    decide = deadlines.REVIEW_DECIDE if stage == "review" else deadlines.RECHECK_DECIDE
    deadlines.start(appeal, decide, request.requested_on, today=_today())
    appeal.save()
    kind = EventKind.REVIEW_REQUEST if stage == "review" else EventKind.RECHECK_REQUEST
    _event(
        appeal,
        EventKind.REQUEST_REOPENED,
        actor,
        appeal.registered_unit,
        note or request.attention_note,
        public=False,
    )
    _event(appeal, kind, actor, appeal.review_unit, request.reason)
    _resolve(request, actor, DoubtfulRequest.Resolution.REOPENED, note)
    notify_after_commit("review_requested", appeal)
    return appeal


@transaction.atomic
def confirm_request(request, actor, *, note):
    """维持原处理: the desk looked at a request on record and keeps what was done, saying why."""
    request = DoubtfulRequest.objects.select_for_update().get(pk=request.pk)
    if request.resolution:
        raise ActionError("该申请已处理。")
    note = require_text(note, "维持原处理的理由", 500)
    _resolve(request, actor, DoubtfulRequest.Resolution.CONFIRMED, note)
    _event(request.appeal, EventKind.REQUEST_REFUSED, actor, None, f"审查后维持原处理：{note}", public=False)
    return request


def _resolve(request, actor, resolution, note):
    request.resolution, request.resolved_by, request.resolved_at = resolution, actor, timezone.now()
    request.resolution_note = (note or "")[:500]
    request.save(update_fields=["resolution", "resolved_by", "resolved_at", "resolution_note"])


def recompute_open_deadlines() -> int:
    """After a calendar edit: every clock it may move follows (deadlines.recompute_all), each
    change on the appeal's timeline; then the requests on record are looked at again. Returns how
    many appeals' deadlines changed."""
    changed = deadlines.recompute_all(_today())
    Event.objects.bulk_create(
        Event(
            appeal_id=clock.appeal_id,
            kind=EventKind.DEADLINE_RECOMPUTED,
            note=f"工作日历更新，{clock.basis}规定的期限由 {before} 调整为 {clock.due}"
            + ("（暂定）" if clock.provisional else ""),
            public=False,
        )
        for clock, before in changed
    )
    reassess_doubtful_requests()
    return len({clock.appeal_id for clock, _before in changed})
