"""Every state change of a commitment, one function each.

Staff actions claim the commitment by its version (two people acting at once: one wins, the
other gets a clear message), check the state and write a public timeline entry where
residents should hear of it; notices to residents leave after commit (notify.py). Callers
check permissions first (`access.require`); actions check the state and the data.
"""

import secrets

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from grassroots.accounts.models import UnitKind
from grassroots.lib import crypto
from grassroots.lib.actions import ActionError, claim, require_text
from grassroots.lib.uploads import UploadRejected

from . import notify
from .access import served_area
from .images import without_metadata
from .models import (
    CONTENT_MAX_CHARS,
    NOTE_MAX_CHARS,
    Commitment,
    CommitmentUpdate,
    Follower,
    UpdateImage,
    UpdateKind,
    phone_digest,
)
from .sources import IMAGE_TYPES, source_of

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O/1/I: typed from an SMS


EDITABLE = ["content", "due_date", "responsible_unit", "responsible_person", "place"]


def _claim(commitment: Commitment, expected_version) -> Commitment:
    """Take the commitment for this action, or raise Conflict if it changed meanwhile."""
    fetch = Commitment.objects.select_related("responsible_unit", "place", "problem", "task")
    return claim(commitment, expected_version, noun="这项承诺", fetch=fetch)


def _clean_fields(fields: dict) -> dict:
    fields = dict(fields)
    fields["content"] = require_text(fields.get("content"), "承诺内容", CONTENT_MAX_CHARS)
    fields["responsible_person"] = require_text(fields.get("responsible_person"), "责任人", 50)
    unit, place, due = fields.get("responsible_unit"), fields.get("place"), fields.get("due_date")
    if unit is None:
        raise ActionError("请选择责任单位。")
    if place is None:
        raise ActionError("请选择承诺地点。")
    if place.kind != UnitKind.AREA or not served_area(unit).contains(place):
        raise ActionError(f"承诺地点应在{unit.name}所辖范围内。")
    if due is None:
        raise ActionError("请填写承诺时限。")
    if due < timezone.localdate():
        raise ActionError("承诺时限不能早于今天。")
    return fields


@transaction.atomic
def create(*, actor, problem=None, task=None, submission_token=None, **fields) -> Commitment:
    """A draft commitment, standalone or resting on one source (a ledger problem or an on-site
    task). A repeated token returns the first."""
    if submission_token:
        existing = Commitment.objects.filter(submission_token=submission_token).first()
        if existing:
            return existing
    if problem is not None and task is not None:
        raise ActionError("一项承诺只能有一个来源。")
    fields = _clean_fields(fields)
    commitment = Commitment(
        submission_token=submission_token or None,
        created_by=actor,
        problem=problem,
        task=task,
        **{k: fields[k] for k in EDITABLE},
    )
    commitment.progress = source_of(commitment).progress()
    try:
        with transaction.atomic():
            commitment.save()
    except IntegrityError:
        if submission_token:
            existing = Commitment.objects.filter(submission_token=submission_token).first()
            if existing:  # the other click won the race
                return existing
        raise
    return commitment


@transaction.atomic
def edit(commitment, actor, *, version=None, **fields) -> Commitment:
    """Change a draft; a published commitment is a promise and stays as it was made."""
    commitment = _claim(commitment, version)
    if commitment.published:
        raise ActionError("承诺已公开，不能再修改。如有变化，请发布进展说明。")
    fields = _clean_fields(fields)
    if all(getattr(commitment, k) == fields[k] for k in EDITABLE):
        raise ActionError("没有修改任何内容。")
    for k in EDITABLE:
        setattr(commitment, k, fields[k])
    commitment.save()
    return commitment


@transaction.atomic
def publish(commitment, actor, *, version=None) -> Commitment:
    commitment = _claim(commitment, version)
    if commitment.published:
        raise ActionError("这项承诺已经公开。")
    if commitment.due_date < timezone.localdate():
        raise ActionError("承诺时限已过，不能公开。请先修改承诺时限。")
    source = source_of(commitment)
    now = timezone.now()
    commitment.published, commitment.published_at, commitment.published_by = True, now, actor
    commitment.progress = source.progress()
    note = f"作出公开承诺，{commitment.due_date:%Y年%m月%d日}前兑现。"
    if source.is_done():
        commitment.fulfilled_at = now
        note = "作出公开承诺；相关工作已完成并通过验收，承诺已兑现。"
    commitment.save()
    update = CommitmentUpdate.objects.create(
        commitment=commitment,
        kind=UpdateKind.PUBLISH,
        at=now,
        progress=commitment.progress,
        note=note,
        author=actor,
    )
    notify.after_commit(update)
    return commitment


def _attach_image(update, actor, f, name, content_type):
    """Publish an image (checked by lib.uploads) as evidence, re-encoded without its metadata."""
    if content_type not in IMAGE_TYPES:
        raise ActionError("公开佐证只接受 JPG、PNG 图片。")
    try:
        clean = without_metadata(f, name, content_type)
    except UploadRejected as e:
        raise ActionError(str(e)) from None
    UpdateImage.store([(clean, content_type)], actor, name=name, update=update)


@transaction.atomic
def post_update(
    commitment, actor, *, note, progress=None, images=(), source_images=(), version=None
) -> CommitmentUpdate:
    """发布进展: a note for residents, with evidence images (uploaded, or chosen from the source's)."""
    commitment = _claim(commitment, version)
    if not commitment.published:
        raise ActionError("承诺尚未公开，请先公开再发布进展。")
    note = require_text(note, "进展说明", NOTE_MAX_CHARS)
    source = source_of(commitment)
    if source.manual_progress and commitment.fulfilled_at is None:
        if progress is None or not 0 <= int(progress) <= 100:
            raise ActionError("进展应为 0 至 100 之间的整数。")
        commitment.progress = int(progress)
    elif not source.manual_progress:
        commitment.progress = source.progress()
    kind = UpdateKind.PROGRESS
    now = timezone.now()
    if commitment.fulfilled_at is None and source.is_done():
        commitment.fulfilled_at, kind = now, UpdateKind.FULFILLED
    commitment.save()
    update = CommitmentUpdate.objects.create(
        commitment=commitment, kind=kind, at=now, progress=commitment.progress, note=note, author=actor
    )
    allowed = {e.pk: e for e in source.evidence_images()}
    chosen = []
    for evidence_id in source_images:
        evidence = allowed.get(int(evidence_id))
        if evidence is None:
            raise ActionError("所选的佐证图片不存在。")
        chosen.append(evidence)
    for f, content_type in images:
        _attach_image(update, actor, f, f.name, content_type)
    for evidence in chosen:
        with evidence.file.open("rb") as f:
            _attach_image(update, actor, f, evidence.original_name, evidence.content_type)
    notify.after_commit(update)
    return update


@transaction.atomic
def record_source_event(source, event) -> list[CommitmentUpdate]:
    """The source moved on: every published commitment resting on it gets the public entry.

    Runs inside the source action's transaction (see hooks.py), so the entry and the change
    commit together; notices leave after commit.
    """
    entry = source.entry_for(event)
    if entry is None:
        return []
    written = []
    commitments = Commitment.objects.select_for_update().filter(published=True, **{source.field: source.obj})
    for commitment in commitments.order_by("pk"):
        if commitment.updates.filter(source_ref=entry.ref).exists():
            continue
        now = timezone.now()
        kind = UpdateKind.PROGRESS
        commitment.progress = entry.progress
        if entry.fulfils and commitment.fulfilled_at is None:
            commitment.fulfilled_at, kind = now, UpdateKind.FULFILLED
        commitment.version += 1
        commitment.save(update_fields=["progress", "fulfilled_at", "version", "updated_at"])
        update = CommitmentUpdate.objects.create(
            commitment=commitment,
            kind=kind,
            at=now,
            progress=entry.progress,
            note=entry.note,
            source_ref=entry.ref,
        )
        notify.after_commit(update)
        written.append(update)
    return written


@transaction.atomic
def follow_source_deadline(task, before, event) -> list[Commitment]:
    """A working-calendar edit moved an on-site task's deadline from `before`: every unfulfilled
    commitment whose time limit was that deadline follows it, and residents are told of a
    published one. A commitment given another date keeps it: that promise was made as it stands."""
    moved = []
    commitments = Commitment.objects.select_for_update().filter(task=task, due_date=before, fulfilled_at=None)
    for commitment in commitments.order_by("pk"):
        commitment.due_date = task.deadline
        commitment.version += 1
        commitment.save(update_fields=["due_date", "version", "updated_at"])
        if commitment.published:
            moved_to = f"由 {before:%Y年%m月%d日} 调整为 {task.deadline:%Y年%m月%d日}"
            update = CommitmentUpdate.objects.create(
                commitment=commitment,
                kind=UpdateKind.DUE_MOVED,
                progress=commitment.progress,
                note=f"因国家节假日安排调整，承诺时限{moved_to}。",
                source_ref=f"onsite-update:{event.pk}",
            )
            notify.after_commit(update)
        moved.append(commitment)
    return moved


@transaction.atomic
def mark_missed(commitment, today=None) -> CommitmentUpdate | None:
    """Record that a published commitment passed its due date unfulfilled; None if it was already
    recorded, or is not missed. Claimed by a conditional update, so it happens once."""
    today = today or timezone.localdate()
    now = timezone.now()
    claimed = (
        Commitment.objects.missed_unmarked(today)
        .filter(pk=commitment.pk)
        .update(missed_at=now, version=F("version") + 1)
    )
    if claimed != 1:  # another run got there first, or it is no longer missed
        return None
    commitment = Commitment.objects.get(pk=commitment.pk)
    update = CommitmentUpdate.objects.create(
        commitment=commitment,
        kind=UpdateKind.MISSED,
        at=now,
        progress=commitment.progress,
        note=f"已超过承诺时限（{commitment.due_date:%Y年%m月%d日}），承诺尚未兑现。",
    )
    notify.after_commit(update)
    return update


def new_unfollow_code() -> str:
    return "TD" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


def follow(commitment_id, *, phone, submission_token=None) -> tuple[Follower, bool]:
    """Follow a published commitment by phone: (the follow, whether it is new). One per phone;
    a repeated submit or phone returns the existing follow and sends nothing again."""
    if submission_token:
        existing = Follower.objects.filter(submission_token=submission_token).first()
        if existing:
            return existing, False
    digest = phone_digest(phone)
    with transaction.atomic():
        commitment = Commitment.objects.published().filter(pk=commitment_id).first()
        if commitment is None:
            raise ActionError("这项承诺不存在或尚未公开。")
        if commitment.fulfilled_at is not None:
            raise ActionError("这项承诺已经兑现，无需再关注。")
        existing = commitment.followers.filter(phone_digest=digest).first()
        if existing:
            return existing, False
        follower = Follower(
            commitment=commitment,
            phone_encrypted=crypto.encrypt(phone),
            phone_digest=digest,
            unfollow_code=new_unfollow_code(),
            submission_token=submission_token or None,
        )
        try:
            with transaction.atomic():
                follower.save()
        except IntegrityError:  # the other click won the race
            existing = commitment.followers.filter(phone_digest=digest).first()
            if existing is None:
                raise
            return existing, False
        notify.followed_after_commit(follower)
    return follower, True


def unfollow(code: str) -> Commitment:
    """Stop following by the code sent in the SMS; the phone is deleted with the follow."""
    follower = (
        Follower.objects.select_related("commitment")
        .filter(unfollow_code=(code or "").strip().upper())
        .first()
    )
    if follower is None:
        raise ActionError("退订码不正确，请核对短信中的退订码后重试。")
    commitment = follower.commitment
    follower.delete()
    return commitment
