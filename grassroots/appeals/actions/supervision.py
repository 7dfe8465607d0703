"""督办 and the petitioner's personal data."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from grassroots.lib import crypto
from grassroots.lib.actions import ActionError, require_text
from grassroots.notify.events import notify_after_commit

from ..models import (
    Appeal,
    EventKind,
    IdentityReveal,
    Supervision,
)
from .common import _event

# --- supervision and personal data ----------------------------------------------------


@transaction.atomic
def supervise(appeal, actor, *, note):
    """督办: a notice to the handling unit, on its inbox and the timeline."""
    if not appeal.is_open or appeal.handling_unit is None:
        raise ActionError("只能对已交办且未办结的诉求督办。")
    note = require_text(note, "督办意见", 1000)
    supervision = Supervision.objects.create(
        appeal=appeal,
        unit=appeal.handling_unit,
        sent_by=actor,
        note=note,
    )
    Appeal.objects.filter(pk=appeal.pk).update(version=F("version") + 1)
    _event(appeal, EventKind.SUPERVISE, actor, appeal.handling_unit, note, public=False)
    notify_after_commit("supervised", appeal, note=note)
    return supervision


def acknowledge_supervision(supervision):
    Supervision.objects.filter(pk=supervision.pk, acknowledged_at=None).update(acknowledged_at=timezone.now())


def reveal_identity(appeal, actor, *, ip=None) -> dict:
    """The petitioner's full contact details; every call is logged."""
    IdentityReveal.objects.create(appeal=appeal, user=actor, ip=ip)
    return {
        "phone": appeal.phone,
        "id_number": appeal.id_number,
        "representatives": [
            (r.name, crypto.decrypt(r.phone_encrypted)) for r in appeal.representatives.all()
        ],
    }
