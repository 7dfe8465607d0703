"""Validators for personal data typed by residents and staff: mobile phone and ID number.

Both raise django's ValidationError with a Chinese message; forms normalise the value
(strip spaces, upper-case the X) before calling them.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError

PHONE_RE = re.compile(r"1[3-9]\d{9}")
ID_RE = re.compile(r"\d{17}[\dX]")
# GB 11643-1999: weights of the first 17 digits, and the check character for sum % 11.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def validate_phone(value: str) -> None:
    if not PHONE_RE.fullmatch(value or ""):
        raise ValidationError("请填写正确的手机号码：11 位数字，以 13–19 开头。", code="phone")


def validate_id_number(value: str) -> None:
    value = (value or "").upper()
    if not ID_RE.fullmatch(value):
        raise ValidationError("身份证号码应为 18 位：17 位数字加 1 位数字或 X。", code="id_format")
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        born = None
    if born is None or born.year < 1900 or born > date.today():
        raise ValidationError("身份证号码中的出生日期不正确，请核对。", code="id_birth")
    total = sum(int(d) * w for d, w in zip(value[:17], ID_WEIGHTS, strict=True))
    if ID_CHECK[total % 11] != value[17]:
        raise ValidationError("身份证号码校验位不正确，请核对后重新填写。", code="id_checksum")
