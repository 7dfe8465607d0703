"""One click onto the ledger: the new-problem form prefilled from an appeal, a hotspot or an on-site task.

The query string only names the source — `?appeal=<id>`, `?hotspot=<id,id,…>&title=…&place=…` or
`?task=<id>` — and every value shown is read again here through the source's own access layer, so
a link never shows anyone what they may not see: an appeal or task the user cannot see is a 404,
and a hotspot's appeal ids are narrowed to the visible ones, its title and place re-derived from them.

What goes into the description is the problem, never the petitioner: the appeal's title and content
only, with the petitioner's name and any phone or ID number in the text masked, because the ledger
is read by the responsible unit and by everyone above it. A 检举 appeal is refused outright: its
ledger problem would be read by the unit complained about.
"""

from dataclasses import dataclass, field

from django.http import Http404
from django.urls import reverse

from grassroots.accounts.access import units_in_scope
from grassroots.appeals.access import access_appeal_by_id, visible_appeals
from grassroots.lib.crypto import mask_id_number, mask_name, mask_phone
from grassroots.lib.validators import ID_RE, LANDLINE_RE, MOBILE_RE
from grassroots.onsite.access import access_task_by_id
from textcore.hotspots import short_title

from .access import keeping_units
from .models import DESCRIPTION_MAX_CHARS, Source

HOTSPOT_MAX_IDS = 500  # more than any group the hotspot page shows; the rest of a longer list is ignored
PLACE_MAX_CHARS = 50
REPORT_REFUSED = (
    "检举类诉求不能列入问题清单：问题清单对被检举单位也可见。如确需整改，请不带检举内容另行填写。"
)


class Refused(Exception):
    """The source may not be put on the ledger; the message is shown to the user as it is."""


@dataclass
class Prefill:
    initial: dict
    origin: str  # what the form was opened from, shown above it
    origin_url: str
    notes: list[str] = field(default_factory=list)


def from_query(user, query) -> Prefill | None:
    """The prefill named by the query string, or None for a blank form.

    Raises Http404 when the named appeal or task is not visible to the user, Refused for a 检举.
    """
    if "appeal" in query:
        return from_appeal(user, query["appeal"])
    if "hotspot" in query:
        return from_hotspot(user, query["hotspot"], query.get("title", ""), query.get("place", ""))
    if "task" in query:
        return from_task(user, query["task"])
    return None


# --- the sources -----------------------------------------------------------------------------


def from_appeal(user, appeal_id) -> Prefill:
    appeal = access_appeal_by_id(user, appeal_id)
    if appeal.is_report:
        raise Refused(REPORT_REFUSED)
    return Prefill(
        initial={
            **_appeal_fields(user, appeal),
            "description": _trim(_scrub(f"{appeal.title}\n{appeal.content}", appeal)),
        },
        origin=f"诉求 {appeal.tracking_code}「{_scrub(appeal.title, appeal)}」",
        origin_url=reverse("appeals:detail", args=[appeal.pk]),
    )


def from_hotspot(user, ids_text: str, title: str, place: str) -> Prefill:
    """A hotspot group as the hotspot page shows it: its appeal ids, its title and its place.

    Only the visible, non-检举 appeals among the ids count. The linked appeal is the group's
    central one — the one the page took the title from — or else the first; the title is
    always that appeal's subject line, and the place is kept only when the group's texts name it.
    """
    ids = _ids(ids_text)
    found = visible_appeals(user).filter(pk__in=ids).select_related("place_unit", "handling_unit")
    by_id = {a.pk: a for a in found}
    group = [by_id[i] for i in ids if i in by_id]
    if not group:
        raise Http404("没有这组热点诉求，或您无权查看。")
    kept = [a for a in group if not a.is_report]
    if not kept:
        raise Refused(REPORT_REFUSED)
    title = title.strip()
    central = next((a for a in kept if short_title(a.title) == title), kept[0])
    title = _scrub(short_title(central.title), central)
    place = _grounded_place(place, kept) or (central.place_unit.name if central.place_unit else "")
    counted = f"{len(kept)} 件诉求，{place}" if place else f"{len(kept)} 件诉求"
    prefill = Prefill(
        initial={**_appeal_fields(user, central), "description": _trim(f"热点问题：{title}（{counted}）")},
        origin=f"热点问题「{title}」（{len(kept)} 件诉求），关联诉求 {central.tracking_code}",
        origin_url=reverse("textintel:hotspots"),
    )
    if len(kept) < len(group):
        prefill.notes.append(f"这组热点中有 {len(group) - len(kept)} 件检举类诉求，未计入。")
    return prefill


def from_task(user, task_id) -> Prefill:
    task = access_task_by_id(user, task_id)
    activity = task.session.activity
    decided = f"{activity.date:%Y年%m月%d日}现场办公「{activity.title}」决定：{task.description}"
    agenda = task.decision.agenda_item
    description = f"{agenda.problem}\n{decided}" if agenda else decided
    appeal = agenda.appeal if agenda else None
    linked = (
        appeal is not None and not appeal.is_report and visible_appeals(user).filter(pk=appeal.pk).exists()
    )
    return Prefill(
        initial={
            "source": Source.ONSITE,
            "appeal_code": appeal.tracking_code if linked else "",
            "place": _place(user, activity.place),
            "responsible_unit": _responsible(user, task.responsible_unit),
            "deadline": task.deadline,
            "description": _trim(_scrub(description, appeal if linked else None)),
        },
        origin=f"现场办公任务 {task.pk}「{task.description[:30]}」",
        origin_url=reverse("onsite:task", args=[task.pk]),
    )


# --- helpers ---------------------------------------------------------------------------------


def _appeal_fields(user, appeal) -> dict:
    return {
        "source": Source.APPEAL,
        "appeal_code": appeal.tracking_code,
        "place": _place(user, appeal.place_unit),
        "address": appeal.address,
        "responsible_unit": _responsible(user, appeal.handling_unit),
    }


def _place(user, unit) -> str:
    """The unit as the form's 属地 value, when the form offers it (an area in the user's scope)."""
    if unit is None or not units_in_scope(user).areas().filter(pk=unit.pk).exists():
        return ""
    return str(unit.pk)


def _responsible(user, unit) -> str:
    """The unit as the form's 责任单位 value, when the user may put problems on it."""
    if unit is None or not keeping_units(user).filter(pk=unit.pk).exists():
        return ""
    return str(unit.pk)


def _ids(text: str) -> list[int]:
    ids = [int(part) for part in (text or "").split(",") if part.strip().isdigit()]
    return list(dict.fromkeys(ids))[:HOTSPOT_MAX_IDS]


def _grounded_place(place: str, appeals) -> str:
    """The place passed in, kept only when the group's own (masked) texts name it."""
    place = (place or "").strip()[:PLACE_MAX_CHARS]
    if not place:
        return ""
    for a in appeals:
        unit = a.place_unit.name if a.place_unit else ""
        if place in _scrub(f"{unit}{a.address}\n{a.title}\n{a.content}", a):
            return place
    return ""


def _scrub(text: str, appeal=None) -> str:
    """Mask ID and phone numbers, and the appeal's petitioner's name, wherever the text has them."""
    text = ID_RE.sub(lambda m: mask_id_number(m.group()), text)
    text = MOBILE_RE.sub(lambda m: mask_phone(m.group()), text)
    text = LANDLINE_RE.sub(lambda m: mask_phone(m.group()), text)
    name = (appeal.petitioner_name or "").strip() if appeal is not None else ""
    if len(name) >= 2:
        text = text.replace(name, mask_name(name))
    return text


def _trim(text: str) -> str:
    text = text.strip()
    return text if len(text) <= DESCRIPTION_MAX_CHARS else text[: DESCRIPTION_MAX_CHARS - 1] + "…"
