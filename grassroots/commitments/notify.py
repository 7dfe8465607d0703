"""SMS to residents about a commitment: its followers, and the petitioners of the appeals linked
to it through its source.

Every public timeline entry (progress, fulfilment, found missed) is one event. Notices leave
after commit, so nothing is sent for a change that rolled back; phones are decrypted only
here, at send time, and the Notification log keeps them masked. One event reaches each phone
once: a follower who is also a petitioner gets one message, and a re-run of the same event
skips phones it already reached.
"""

from django.db import transaction

from grassroots.appeals.models import Appeal
from grassroots.lib.validators import MOBILE_RE
from grassroots.notify.delivery import already_sent, deliver
from grassroots.notify.models import Notification

from .models import CommitmentUpdate, UpdateKind, phone_digest
from .sources import source_of

SUBJECT = "公开承诺进展"
FOLLOWER = (
    "【四下基层】您关注的公开承诺「{what}」：{note}（进展 {progress}%）。"
    "详见群众诉求网站「公开承诺」栏目，编号 {id}。退订码 {code}。"
)
PETITIONER = (
    "【四下基层】与您反映的问题相关的公开承诺「{what}」：{note}（进展 {progress}%）。"
    "详见群众诉求网站「公开承诺」栏目，编号 {id}。"
)
FOLLOWED = (
    "【四下基层】您已关注公开承诺「{what}」（编号 {id}），有进展或逾期时将短信通知您。"
    "如需取消关注，请在「公开承诺」栏目凭退订码 {code} 退订。"
)


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def after_commit(update: CommitmentUpdate) -> None:
    update_id = update.pk
    transaction.on_commit(lambda: send_update(update_id), robust=True)


def followed_after_commit(follower) -> None:
    transaction.on_commit(lambda: send_followed(follower), robust=True)


def _send(phone: str, template: str, body: str, dedupe_key: str, appeal=None) -> bool:
    return deliver(
        Notification.Channel.SMS,
        phone,
        subject=SUBJECT,
        body=body,
        template=template,
        dedupe_key=dedupe_key,
        appeal=appeal,
    )


def send_update(update_id: int) -> int:
    """Send one timeline entry to every phone that should hear of it; returns the messages sent."""
    update = CommitmentUpdate.objects.select_related(
        "commitment__problem", "commitment__task__decision__agenda_item"
    ).get(pk=update_id)
    commitment = update.commitment
    template = "commitment_missed" if update.kind == UpdateKind.MISSED else "commitment_update"
    ctx = {
        "what": _short(commitment.content, 30),
        "note": _short(update.note, 70).rstrip("。"),
        "progress": update.progress,
        "id": commitment.pk,
    }
    recipients = [  # (phone, body, appeal); followers first, so a petitioner who follows gets the code
        (f.phone, FOLLOWER.format(code=f.unfollow_code, **ctx), None)
        for f in commitment.followers.order_by("pk")
    ]
    appeals = Appeal.objects.filter(pk__in=source_of(commitment).linked_appeal_ids()).order_by("pk")
    recipients += [(a.phone, PETITIONER.format(**ctx), a) for a in appeals.only("pk", "phone_encrypted")]
    sent, seen = 0, set()
    for phone, body, appeal in recipients:
        if not MOBILE_RE.fullmatch(phone):  # no phone, or a landline: no SMS
            continue
        digest = phone_digest(phone)
        if digest in seen:
            continue
        seen.add(digest)
        key = f"commitment-update:{update.pk}:{digest[:24]}"
        if already_sent(key):
            continue
        sent += _send(phone, template, body, key, appeal)
    return sent


def send_followed(follower) -> bool:
    """The confirmation of a new follow, carrying the code that ends it."""
    commitment = follower.commitment
    body = FOLLOWED.format(what=_short(commitment.content, 30), id=commitment.pk, code=follower.unfollow_code)
    return _send(follower.phone, "commitment_followed", body, f"commitment-follow:{follower.pk}")
