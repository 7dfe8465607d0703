"""What every appeal action shares: today in Beijing, the timeline line, the claim."""

from datetime import date

from django.utils import timezone

from grassroots.lib.actions import Conflict, claim

from ..models import (
    Appeal,
    Event,
)

TEXT_MAX = 2000  # reasons, notes and opinions short of a written reply


def _today() -> date:
    return timezone.localdate()


def _event(appeal, kind, actor=None, unit=None, note="", public=True, internal_note=""):
    return Event.objects.create(
        appeal=appeal,
        kind=kind,
        actor=actor,
        unit=unit,
        note=note,
        public=public,
        internal_note=internal_note.strip(),
    )


def _changed_by_someone(fresh: Appeal) -> Conflict:
    last = fresh.events.order_by("-at", "-id").first()
    what = f"{last.actor_label}刚刚进行了「{last.get_kind_display()}」操作，" if last else ""
    return Conflict(
        f"这条诉求已被他人更新：{what}当前状态为「{fresh.get_status_display()}」。"
        "您的操作未执行，请查看最新情况后再决定。"
    )


def _claim(appeal: Appeal, expected_version: int | None) -> Appeal:
    """Take the appeal for this action, or raise Conflict if it changed meanwhile."""
    return claim(appeal, expected_version, refused=_changed_by_someone)
