"""Where a commitment's progress comes from: one small adapter class per kind of source.

A commitment promises the work of a source (a ledger problem, or the task an on-site office
decision dispatched) or stands alone. The adapter answers everything the app asks of a
source: its progress, whether the promise is kept, the public timeline entry for one of its
events (a neutral note, never the internal one), the images staff may choose to publish as
evidence, and the appeals whose petitioners hear about the commitment.

Adding a source is three small steps: a nullable FK on Commitment (with the check that at
most one source is set), a subclass here naming that FK in `field` and listed in SOURCES, and
one call of `hooks.source_changed(...)` in each of the source's progress actions (see
`hooks.task_changed` for on-site tasks).
"""

from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse

from grassroots.appeals.models import Appeal
from grassroots.ledger.access import visible_problems
from grassroots.ledger.models import EventKind
from grassroots.ledger.models import Status as ProblemStatus
from grassroots.onsite.access import visible_tasks
from grassroots.onsite.models import TaskStatus
from grassroots.onsite.models import UpdateKind as TaskUpdateKind

from .access import served_area

IMAGE_TYPES = ("image/jpeg", "image/png")


@dataclass(frozen=True)
class Entry:
    """A public timeline entry made from one event of a source."""

    ref: str  # unique per source event, so an event never makes two entries
    progress: int
    note: str
    fulfils: bool = False  # after this event the promise counts as kept


class Source:
    """The interface; each method says what the app needs to know."""

    field = ""  # the FK on Commitment that points at this kind of source
    label = ""
    noun = ""  # "这个问题": how staff pages refer to one source
    manual_progress = False  # True: staff type the progress when they post an update

    def __init__(self, obj):
        self.obj = obj

    def progress(self) -> int:
        raise NotImplementedError

    def is_done(self) -> bool:
        raise NotImplementedError

    def entry_for(self, event) -> Entry | None:
        """The public entry for an event of the source, or None when residents need not hear of it."""
        return None

    def evidence_images(self):
        """The source's own images (internal material) that staff may choose to publish."""
        return []

    def linked_appeal_ids(self) -> list[int]:
        """Appeals whose petitioners are told when the commitment progresses or is missed."""
        return []

    def title(self) -> str:
        return str(self.label)

    def staff_url(self, user) -> str | None:
        """Where staff see the source, or None when `user` may not."""
        return None

    def draft_defaults(self) -> dict:
        """Initial values of a new commitment made from this source."""
        return {}


def appeal_and_repeats(appeal_id) -> list[int]:
    """An appeal and its repeats (重复件: the same matter raised again, §19): all its petitioners."""
    if appeal_id is None:
        return []
    return list(
        Appeal.objects.filter(Q(pk=appeal_id) | Q(original_id=appeal_id)).values_list("pk", flat=True)
    )


class Standalone(Source):
    """No source: staff report progress themselves; 100% keeps the promise."""

    label = "独立承诺"
    manual_progress = True

    def progress(self) -> int:
        return self.obj.progress

    def is_done(self) -> bool:
        return self.obj.progress >= 100


class ProblemSource(Source):
    """A problem on the ledger: the promise is kept when its rectification passes acceptance."""

    field = "problem"
    label = "问题清单"
    noun = "这个问题"
    NOTES = {
        EventKind.PROGRESS: "整改进展更新，已完成 {progress}%。",
        EventKind.DONE: "整改工作已完成，等待验收。",
        EventKind.ACCEPT: "整改已通过验收，承诺兑现。",
        EventKind.RETURN: "验收未通过，继续整改。",
    }  # edits and 销号 tell residents nothing new

    def progress(self) -> int:
        return self.obj.progress

    def is_done(self) -> bool:
        return self.obj.status in (ProblemStatus.ACCEPTED, ProblemStatus.CLOSED)

    def entry_for(self, event) -> Entry | None:
        template = self.NOTES.get(event.kind)
        if template is None:
            return None
        progress = event.progress if event.progress is not None else self.obj.progress
        return Entry(
            ref=f"problem-event:{event.pk}",
            progress=progress,
            note=template.format(progress=progress),
            fulfils=event.kind == EventKind.ACCEPT,
        )

    def evidence_images(self):
        return self.obj.evidence.filter(content_type__in=IMAGE_TYPES).order_by("uploaded_at", "id")

    def linked_appeal_ids(self) -> list[int]:
        """The problem's appeal and its repeats."""
        return appeal_and_repeats(self.obj.appeal_id)

    def title(self) -> str:
        return f"问题清单第 {self.obj.pk} 号：{self.obj.description[:30]}"

    def staff_url(self, user) -> str | None:
        if not visible_problems(user).filter(pk=self.obj.pk).exists():
            return None
        return reverse("ledger:detail", args=[self.obj.pk])

    def draft_defaults(self) -> dict:
        p = self.obj
        return {
            "content": p.measures or p.description,
            "due_date": p.deadline,
            "responsible_unit": p.responsible_unit,
            "responsible_person": str(p.responsible_leader) if p.responsible_leader else "",
            "place": p.place,
        }


class TaskSource(Source):
    """A task an on-site office decision dispatched: the promise is kept when the session's owner
    accepts the work."""

    field = "task"
    label = "现场办公任务"
    noun = "这项任务"
    NOTES = {
        TaskUpdateKind.PROGRESS: "办理进展更新，已完成 {progress}%。",
        TaskUpdateKind.SUBMIT: "责任单位已办结，等待现场办公负责人验收。",
        TaskUpdateKind.ACCEPT: "办理结果已通过验收，承诺兑现。",
        TaskUpdateKind.RETURN: "验收未通过，继续办理。",
    }  # the dispatch (交办) comes before any commitment

    def progress(self) -> int:
        return self.obj.progress

    def is_done(self) -> bool:
        return self.obj.status == TaskStatus.ACCEPTED

    def entry_for(self, event) -> Entry | None:
        template = self.NOTES.get(event.kind)
        if template is None:
            return None
        progress = event.progress if event.progress is not None else self.obj.progress
        return Entry(
            ref=f"onsite-update:{event.pk}",
            progress=progress,
            note=template.format(progress=progress),
            fulfils=event.kind == TaskUpdateKind.ACCEPT,
        )

    def evidence_images(self):
        return self.obj.evidence.filter(content_type__in=IMAGE_TYPES).order_by("uploaded_at", "id")

    def linked_appeal_ids(self) -> list[int]:
        """The appeal of the agenda item the decision answered, and its repeats; none without one."""
        item = self.obj.decision.agenda_item
        return appeal_and_repeats(item.appeal_id if item is not None else None)

    def title(self) -> str:
        return f"现场办公任务第 {self.obj.pk} 号：{self.obj.description[:30]}"

    def staff_url(self, user) -> str | None:
        if not visible_tasks(user).filter(pk=self.obj.pk).exists():
            return None
        return reverse("onsite:task", args=[self.obj.pk])

    def draft_defaults(self) -> dict:
        """The decision's words, deadline and unit; the session's owner answers for it, at the
        session's place (or the unit's own area when the session sat elsewhere: a promise is made
        where the unit serves)."""
        t = self.obj
        session = t.session
        place, area = session.activity.place, served_area(t.responsible_unit)
        return {
            "content": t.description,
            "due_date": t.deadline,
            "responsible_unit": t.responsible_unit,
            "responsible_person": str(session.owner),
            "place": place if area.contains(place) else area,
        }


SOURCES = [ProblemSource, TaskSource]


def source_of(commitment) -> Source:
    for cls in SOURCES:
        if getattr(commitment, f"{cls.field}_id") is not None:
            return cls(getattr(commitment, cls.field))
    return Standalone(commitment)
