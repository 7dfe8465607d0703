"""Which appeal events notify whom, and the Chinese message templates.

Actions call `notify_after_commit(key, appeal)`; nothing is sent if the transaction
rolls back, and a failing notice (robust=True) never breaks the action that triggered it
nor the notices queued after it.
"""

from django.db import transaction

from .delivery import deliver
from .models import Notification

# key -> (who, subject, body). Bodies are str.format templates over `ctx` below.
TEMPLATES = {
    "registered": (
        "petitioner",
        "诉求已登记",
        "【四下基层】您的诉求「{title}」已登记，查询码 {code}。可凭查询码和手机号后四位查询办理进度。",
    ),
    "dispatched": (
        "unit",
        "新交办件",
        "{unit}：诉求 {code}「{title}」已交办贵单位，请于 {due} 前告知信访人受理情况。",
    ),
    "informed": ("petitioner", "诉求已受理", "【四下基层】您的诉求 {code} 已由{unit}受理：{note}"),
    "objected": ("desk", "交办异议", "{unit}对诉求 {code}「{title}」提出交办异议，请及时处理。"),
    "extension_requested": ("heads", "延期申请待审批", "诉求 {code}「{title}」申请延期，请审批。"),
    "extended": (
        "petitioner",
        "办理期限延长",
        "【四下基层】您的诉求 {code} 办理期限延长至 {due}，理由：{reason}",
    ),
    "replied": (
        "petitioner",
        "诉求已答复",
        "【四下基层】您的诉求 {code} 已有书面答复，请凭查询码查看并评价。"
        "如不服，可自收到之日起 30 日内申请复查。",
    ),
    "not_accepted": (
        "petitioner",
        "诉求不予受理",
        "【四下基层】您的诉求 {code} 不予受理，理由：{reason}。{redirect}",
    ),
    "unsatisfied": ("unit", "群众不满意", "诉求 {code}「{title}」的答复被评价为不满意，请关注。"),
    "review_requested": (
        "review_desk",
        "复查/复核申请",
        "诉求 {code}「{title}」申请复查（复核），请于 {due} 前作出意见。",
    ),
    "review_assigned": (
        "review_handler",
        "复查/复核分办",
        "诉求 {code}「{title}」的复查（复核）已分办给您，请于 {due} 前作出意见。",
    ),
    "review_decided": (
        "petitioner",
        "复查/复核意见",
        "【四下基层】您的诉求 {code} 的复查（复核）意见已出具，请凭查询码查看。",
    ),
    "supervised": ("unit", "督办通知", "督办：诉求 {code}「{title}」（期限 {due}）请抓紧办理。{note}"),
    "due_soon": ("unit", "临期提醒", "诉求 {code}「{title}」将于 {due} 到期，请抓紧办理。"),
    "due_soon_desk": ("desk", "临期提醒", "诉求 {code}「{title}」应于 {due} 前转送、交办，请及时处理。"),
    "due_soon_review": ("review", "临期提醒", "诉求 {code}「{title}」的复查（复核）意见应于 {due} 前出具。"),
}


def notify_after_commit(key: str, appeal, **extra) -> None:
    appeal_id = appeal.pk
    transaction.on_commit(lambda: send_appeal_notice(key, appeal_id, **extra), robust=True)


def send_appeal_notice(key: str, appeal_id: int, dedupe_key: str = "", **extra) -> int:
    from grassroots.accounts.models import Membership, Role
    from grassroots.appeals.access import review_desk_units
    from grassroots.appeals.models import Appeal

    appeal = Appeal.objects.select_related(
        "handling_unit", "registered_unit", "review_unit", "review_handler"
    ).get(pk=appeal_id)
    who, subject, template = TEMPLATES[key]
    unit = appeal.handling_unit or appeal.registered_unit
    ctx = {
        "code": appeal.tracking_code,
        "title": appeal.title,
        "unit": unit.name,
        "due": f"{appeal.due_date:%Y年%m月%d日}" if appeal.due_date else "—",
        "reason": (appeal.reason or appeal.extension_reason).rstrip("。"),
        "redirect": appeal.redirect_text(),
        "note": "",
        **extra,
    }
    body = template.format(**ctx)
    recipients: list[tuple[str, str]] = []  # (channel, address)
    if who == "petitioner":
        if appeal.phone:
            recipients.append((Notification.Channel.SMS, appeal.phone))
    elif who == "review_handler":
        if appeal.review_handler_id and appeal.review_handler.email:
            recipients.append((Notification.Channel.EMAIL, appeal.review_handler.email))
    elif who == "review_desk":
        members = Membership.objects.filter(
            unit__in=review_desk_units(appeal.review_unit), role__in={Role.CLERK, Role.SUPERVISOR}
        ).select_related("user")
        for email in sorted({m.user.email for m in members if m.user.email}):
            recipients.append((Notification.Channel.EMAIL, email))
    else:
        target, roles = {
            "unit": (appeal.handling_unit, {Role.HANDLER, Role.UNIT_HEAD}),
            "heads": (appeal.handling_unit, {Role.UNIT_HEAD}),
            "desk": (appeal.registered_unit, {Role.CLERK, Role.SUPERVISOR}),
            "review": (appeal.review_unit, {Role.UNIT_HEAD, Role.LEADER}),
        }[who]
        members = Membership.objects.filter(unit=target, role__in=roles).select_related("user")
        for email in sorted({m.user.email for m in members if m.user.email}):
            recipients.append((Notification.Channel.EMAIL, email))
    return sum(
        deliver(
            channel, address, subject=subject, body=body, template=key, dedupe_key=dedupe_key, appeal=appeal
        )
        for channel, address in recipients
    )
