"""The demo tree cut down to one county with two townships, at a fixed moment."""

from datetime import date, datetime

NOW = datetime.fromisoformat("2026-06-15T10:00:00+08:00")
TODAY = date(2026, 6, 15)
SMALL_COUNTY = (
    "qh",
    "青禾县",
    "县长",
    "县委书记",
    [("hefeng", "禾丰镇", ["禾丰社区", "柳溪村"]), ("liutang", "柳塘镇", ["柳塘村"])],
)
