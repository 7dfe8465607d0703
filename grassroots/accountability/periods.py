"""Months and quarters: the periods the accountability figures are counted over.

A period has a key for links ("2026-03", "2026Q1"), its first and last day, and a label.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

KINDS = ("month", "quarter")
KEY_RE = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{2})|Q(?P<quarter>[1-4]))")


@dataclass(frozen=True, order=True)
class Period:
    kind: str  # "month" or "quarter"
    year: int
    n: int  # month 1–12 or quarter 1–4

    @classmethod
    def containing(cls, d: date, kind: str) -> "Period":
        return cls(kind, d.year, d.month if kind == "month" else (d.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, key: str) -> "Period | None":
        m = KEY_RE.fullmatch(key or "")
        if not m:
            return None
        if m["month"]:
            month = int(m["month"])
            return cls("month", int(m["year"]), month) if 1 <= month <= 12 else None
        return cls("quarter", int(m["year"]), int(m["quarter"]))

    @property
    def key(self) -> str:
        return f"{self.year}-{self.n:02d}" if self.kind == "month" else f"{self.year}Q{self.n}"

    @property
    def label(self) -> str:
        return f"{self.year}年{self.n}月" if self.kind == "month" else f"{self.year}年第{self.n}季度"

    @property
    def start(self) -> date:
        return date(self.year, self.n if self.kind == "month" else 3 * self.n - 2, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    def next(self) -> "Period":
        last = 12 if self.kind == "month" else 4
        return (
            Period(self.kind, self.year + 1, 1)
            if self.n == last
            else Period(self.kind, self.year, self.n + 1)
        )

    def previous(self) -> "Period":
        last = 12 if self.kind == "month" else 4
        return (
            Period(self.kind, self.year - 1, last)
            if self.n == 1
            else Period(self.kind, self.year, self.n - 1)
        )


def recent(today: date, kind: str, count: int) -> list[Period]:
    """The period holding today and the count-1 before it, newest first."""
    periods = [Period.containing(today, kind)]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    return periods
