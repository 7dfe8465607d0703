"""The public holidays fixed by law, for any year: what is certain before the State Council's
yearly notice is out.

《全国年节及纪念日放假办法》 gives every citizen these days off every year; the yearly notice only
adds the bridging arrangement (调休: days off joined to the holiday, weekend days worked instead),
which no rule predicts:

    as amended by the State Council on 2024-11-12, in force from 2025-01-01
        元旦 1 January; 春节 除夕 and the 1st–3rd of the first lunar month; 清明 the day of the
        Qingming solar term; 劳动节 1–2 May; 端午 5/5 lunar; 中秋 15/8 lunar; 国庆 1–3 October
    2008–2024: the same, but 春节 the 1st–3rd lunar only and 劳动节 1 May only

Lunar dates and the solar term come from lunar_python (6tail's lunar calendar).

`possible_days_off` bounds what a notice could add. In the schedules of 2015–2026 (chinesecalendar,
the one-off 2015 commemoration of 3–4 September aside) every weekday off that the law did not fix
lay within 5 days of a statutory holiday (国庆 2020: 1–8 October). So a weekday more than
BRIDGE_DAYS days from every statutory holiday is certainly a working day, and the latest a period
can end is found by treating every day within that distance as possibly off.
"""

from datetime import date, timedelta
from functools import lru_cache

from lunar_python import Lunar

AMENDED_FROM = 2025
BRIDGE_DAYS = 5

_ONE_DAY = timedelta(days=1)


def _solar(lunar_year: int, month: int, day: int) -> date:
    s = Lunar.fromYmd(lunar_year, month, day).getSolar()
    return date(s.getYear(), s.getMonth(), s.getDay())


def _qingming(year: int) -> date:
    term = Lunar.fromYmd(year, 3, 1).getJieQiTable()["清明"]
    day = date(term.getYear(), term.getMonth(), term.getDay())
    if day.year != year:  # never seen; the table is keyed by lunar year
        raise ValueError(f"no Qingming found for {year}")
    return day


@lru_cache(maxsize=512)
def statutory_holidays(year: int) -> frozenset[date]:
    """The days off the law fixes in `year` (not the bridging days, not the make-up days)."""
    new_year = _solar(year, 1, 1)
    if year >= AMENDED_FROM:
        spring = {new_year - _ONE_DAY, new_year, new_year + _ONE_DAY, new_year + 2 * _ONE_DAY}
        labour = {date(year, 5, 1), date(year, 5, 2)}
    else:
        spring = {new_year, new_year + _ONE_DAY, new_year + 2 * _ONE_DAY}
        labour = {date(year, 5, 1)}
    days = {
        date(year, 1, 1),
        *spring,
        _qingming(year),
        *labour,
        _solar(year, 5, 5),
        _solar(year, 8, 15),
        date(year, 10, 1),
        date(year, 10, 2),
        date(year, 10, 3),
    }
    return frozenset(days)  # the lunar new year falls 21 January – 20 February: all in `year`


@lru_cache(maxsize=512)
def possible_days_off(year: int) -> frozenset[date]:
    """Every day of `year` that a yearly notice could make a day off: the statutory holidays and
    the days within BRIDGE_DAYS of one (weekends are off anyway)."""
    anchors = statutory_holidays(year - 1) | statutory_holidays(year) | statutory_holidays(year + 1)
    near = set()
    for anchor in anchors:
        for offset in range(-BRIDGE_DAYS, BRIDGE_DAYS + 1):
            day = anchor + timedelta(days=offset)
            if day.year == year:
                near.add(day)
    return frozenset(near)
