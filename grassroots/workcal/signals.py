"""The working calendar changed: every app recomputes the deadlines it keeps.

`calendar_changed` is sent by the administration's calendar actions, inside their transaction,
after the edit; each receiver recomputes what the calendar moves in its app and returns a phrase
for the administrator ("12 件诉求的期限"), or None when nothing moved. The apps depend on the
calendar, never the other way: this module knows none of them.
"""

from django.dispatch import Signal

from .models import forget_cached_calendar

calendar_changed = Signal()


def announce_calendar_change() -> list[str]:
    """Tell every app; returns what each recomputed."""
    forget_cached_calendar()
    return [phrase for _receiver, phrase in calendar_changed.send(sender=None) if phrase]
