"""Daily: find published commitments past their due date and not fulfilled, record the moment
they were found missed, add 逾期未兑现 to their public timeline and text their followers and the
petitioners linked to them.

Run it once a day from cron, next to send_reminders (which runs hourly), in the morning so the
texts do not arrive at night, e.g. `30 8 * * * manage.py check_commitments`. It is safe to
run again: each commitment is claimed by a conditional update, so it is marked and its
residents are notified once.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from grassroots.commitments import actions
from grassroots.commitments.models import Commitment


def check_missed(today) -> int:
    """The number of commitments found missed by this run."""
    found = 0
    for commitment in Commitment.objects.missed_unmarked(today).order_by("due_date", "pk"):
        # each in its own transaction: its notices leave as soon as it is recorded
        if actions.mark_missed(commitment, today) is not None:
            found += 1
    return found


class Command(BaseCommand):
    help = (
        "检查公开承诺：已过承诺时限仍未兑现的，记为逾期未兑现，并短信通知关注的群众和相关信访人。"
        "每天运行一次，重复运行不会重复通知。"
    )

    def handle(self, *args, **options):
        today = timezone.localdate()
        found = check_missed(today)
        self.stdout.write(f"{today}：新发现逾期未兑现的公开承诺 {found} 项。")
