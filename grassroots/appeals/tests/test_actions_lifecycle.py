from datetime import date

from grassroots.appeals import actions
from grassroots.appeals.models import EventKind, Rating, Status


def test_it_runs_an_appeal_from_registration_to_a_rating(
    org, make_appeal, travel, _memory_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appeal = make_appeal()
    assert appeal.status == Status.REGISTERED
    assert appeal.due_date == date(2026, 3, 17)  # §22: 15 days

    appeal = actions.dispatch(appeal, org.clerk, unit=org.chengguan)
    assert appeal.status == Status.DISPATCHED and appeal.due_date == date(2026, 3, 17)

    appeal = actions.inform(appeal, org.handler, note="已受理，将实地查看")
    assert appeal.status == Status.HANDLING
    assert appeal.due_date == date(2026, 5, 1 + 5)  # 60 days → 05-01 is 劳动节, first working day after

    appeal = actions.reply(appeal, org.handler, text="已更换路灯两盏。")
    assert appeal.status == Status.REPLIED

    appeal = actions.rate(appeal, score=Rating.Score.SATISFIED, comment="很快")
    kinds = list(appeal.events.values_list("kind", flat=True))
    assert kinds == [
        EventKind.REGISTER,
        EventKind.DISPATCH,
        EventKind.INFORM,
        EventKind.REPLY,
        EventKind.RATE,
    ]
    assert [m["to"] for m in _memory_outbox] == ["13812345678"]  # the SMS with the tracking code
    assert appeal.tracking_code in _memory_outbox[0]["body"]
