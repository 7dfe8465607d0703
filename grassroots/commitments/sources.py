"""Where a commitment's progress comes from: one small adapter class per kind of source.

A commitment promises the work of a source (a ledger problem today) or stands alone. The
adapter answers everything the app asks of a source: its progress, whether the promise is
kept, the public timeline entry for one of its events (a neutral note, never the internal
one), the images staff may choose to publish as evidence, and the appeals whose petitioners
hear about the commitment.

Adding a source (on-site tasks, say) is three small steps: a nullable FK on Commitment, a
subclass here naming that FK in `field` and listed in SOURCES, and one call of
`hooks.source_changed(TaskSource(task), event)` in each of the source's progress actions.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse

from grassroots.appeals.models import Appeal
from grassroots.ledger.access import visible_problems
from grassroots.ledger.models import EventKind
from grassroots.ledger.models import Status as ProblemStatus

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
        """The problem's appeal and its repeats (重复件: the same matter raised again, §19)."""
        appeal_id = self.obj.appeal_id
        if appeal_id is None:
            return []
        return list(
            Appeal.objects.filter(Q(pk=appeal_id) | Q(original_id=appeal_id)).values_list("pk", flat=True)
        )

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


SOURCES = [ProblemSource]


def source_of(commitment) -> Source:
    for cls in SOURCES:
        if getattr(commitment, f"{cls.field}_id") is not None:
            return cls(getattr(commitment, cls.field))
    return Standalone(commitment)
