"""Django's zh_Hans formats with ISO dates first.

A form field renders its value with the first input format; browsers' <input type="date">
only accepts 2026-04-30, so Django's default first format (2026/04/30) shows an empty field
on every edit form. Everything not set here comes from Django's own zh_Hans locale.
"""

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
]
