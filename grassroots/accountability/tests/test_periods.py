from datetime import date

import pytest

from grassroots.accountability.periods import Period, recent


@pytest.mark.parametrize(
    "key, start, end, label",
    [
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28), "2026年2月"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "2024年2月"),
        ("2025-12", date(2025, 12, 1), date(2025, 12, 31), "2025年12月"),
        ("2026Q1", date(2026, 1, 1), date(2026, 3, 31), "2026年第1季度"),
        ("2025Q4", date(2025, 10, 1), date(2025, 12, 31), "2025年第4季度"),
    ],
)
def test_it_knows_a_periods_days_and_label(key, start, end, label):
    period = Period.parse(key)
    assert (period.start, period.end, period.label, period.key) == (start, end, label, key)


@pytest.mark.parametrize("key", ["", "2026", "2026-00", "2026-13", "2026Q0", "2026Q5", "26-01", "2026-1"])
def test_it_refuses_a_bad_key(key):
    assert Period.parse(key) is None


def test_it_lists_recent_periods_across_the_year_end():
    assert [p.key for p in recent(date(2026, 2, 10), "month", 3)] == ["2026-02", "2026-01", "2025-12"]
    assert [p.key for p in recent(date(2026, 2, 10), "quarter", 2)] == ["2026Q1", "2025Q4"]


def test_it_shows_the_nav_link_to_viewers_only(org):
    from grassroots.accountability.templatetags.accountability_tags import sees_accountability

    assert (
        sees_accountability(org.head)
        and sees_accountability(org.supervisor)
        and sees_accountability(org.leader)
    )
    assert not sees_accountability(org.handler) and not sees_accountability(org.clerk)
