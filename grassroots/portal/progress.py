"""What the tracking page tells a resident, in words a resident understands.

Only public facts: no staff names, no internal events, never the accused unit.
"""

from django.utils.translation import gettext_lazy as _

from grassroots.appeals import actions, deadlines
from grassroots.appeals.models import EventKind, Status

STATUS_WORDS = {
    Status.REGISTERED: _("已登记，正在确定承办单位"),
    Status.NOT_ACCEPTED: _("不予受理"),
    Status.DISPATCHED: _("已交承办单位，等待受理告知"),
    Status.OBJECTED: _("正在重新确定承办单位"),
    Status.HANDLING: _("承办单位正在办理"),
    Status.REPLIED: _("已书面答复"),
    Status.REVIEWING: _("复查中"),
    Status.REVIEWED: _("已出具复查意见"),
    Status.RECHECKING: _("复核中"),
    Status.CLOSED: _("已办结"),
    Status.DUPLICATE: _("与已登记的同一事项合并办理"),
}

# The running clock -> what its due date means for the resident.
DUE_WORDS = {
    deadlines.DISPATCH: _("交办期限"),
    deadlines.INFORM: _("受理告知期限"),
    deadlines.CONCLUDE: _("办结期限"),
    deadlines.REVIEW_REQUEST: _("申请复查截止日"),
    deadlines.REVIEW_DECIDE: _("复查意见期限"),
    deadlines.RECHECK_REQUEST: _("申请复核截止日"),
    deadlines.RECHECK_DECIDE: _("复核意见期限"),
}

# Events whose note is a written opinion shown in full further down the page.
OPINION_KINDS = {EventKind.REPLY, EventKind.REVIEW_DECISION, EventKind.RECHECK_DECISION}


def responsible_unit(appeal):
    """(label, unit name) of whoever is dealing with the appeal now."""
    if appeal.status in (Status.REVIEWING, Status.RECHECKING, Status.REVIEWED) and appeal.review_unit:
        label = _("复核机关") if appeal.status == Status.RECHECKING else _("复查机关")
        return label, appeal.review_unit.name
    if appeal.status in (Status.REGISTERED, Status.OBJECTED, Status.NOT_ACCEPTED, Status.DUPLICATE):
        return _("登记单位"), appeal.registered_unit.name
    if appeal.handling_unit:
        return _("承办单位"), appeal.handling_unit.name
    return _("登记单位"), appeal.registered_unit.name


def public_timeline(appeal):
    events = appeal.events.filter(public=True).select_related("unit").order_by("at", "id")
    return [
        {
            "at": ev.at,
            "what": ev.get_kind_display(),
            "unit": ev.unit.name if ev.unit else "",
            "note": "" if ev.kind in OPINION_KINDS else ev.note,
            "see_opinion": ev.kind in OPINION_KINDS,
        }
        for ev in events
    ]


def rating_stage(appeal):
    """The written answer the resident may rate now, or None (none yet, or already rated)."""
    stage = actions.rated_stage(appeal)
    if stage is None or appeal.ratings.filter(stage=stage).exists():
        return None
    return stage


def review_offer(appeal):
    """ "review" / "recheck" when the resident may (or, being unsatisfied, wants to) ask for one."""
    stage = actions.review_stage_open(appeal)
    if stage:
        return stage
    if (
        appeal.unsatisfied
        and not appeal.final
        and appeal.status
        in (
            Status.REPLIED,
            Status.REVIEWED,
            Status.CLOSED,
        )
    ):
        return "recheck" if appeal.review_text else "review"
    return None


def summary(appeal):
    unit_label, unit_name = responsible_unit(appeal)
    clock = appeal.clock
    return {
        "status_words": STATUS_WORDS.get(appeal.status, appeal.get_status_display()),
        "unit_label": unit_label,
        "unit_name": unit_name,
        "due_label": DUE_WORDS.get(clock.rule if clock else "", _("办理期限")),
        "due_date": appeal.due_date,
        "due_provisional": appeal.due_provisional,
        "latest_due": clock.latest_due if clock else None,
        "redirect": appeal.redirect_text(),
        "timeline": public_timeline(appeal),
        "rating_stage": rating_stage(appeal),
        "review_offer": review_offer(appeal),
    }
