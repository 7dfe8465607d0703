"""Personal data typed by residents and staff: mobile and landline numbers, ID card numbers.

The `clean_*` functions normalise what was typed (full-width digits, spaces, dashes, +86, a
lower-case x) and return the value to store, or raise django's ValidationError with a Chinese
message. They are the one check of these values; forms and actions call them.
"""

import re
import unicodedata
from datetime import date

from django.core.exceptions import ValidationError

MOBILE_RE = re.compile(r"1[3-9]\d{9}")
LANDLINE_RE = re.compile(r"0\d{2,3}-?\d{7,8}(-\d{1,6})?")
ID_RE = re.compile(r"\d{17}[\dX]")
# GB 11643-1999: weights of the first 17 digits, and the check character for sum % 11.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

MOBILE_MESSAGE = "请填写正确的手机号码：11 位数字，以 13–19 开头。"
PHONE_MESSAGE = "请填写正确的电话号码：11 位手机号，或带区号的固定电话（如 0591-87654321）。"


def _folded(value: str) -> str:
    """Full-width digits and letters made plain, surrounding spaces gone."""
    return unicodedata.normalize("NFKC", value or "").strip()


# the country code as browsers autofill it and people write it: +86, 0086, or 86 before a mobile
COUNTRY_CODE_RE = re.compile(r"^(?:\+86|0086|86(?=1[3-9]\d{9}$))-?")


def _phone_digits(value: str) -> str:
    value = re.sub(r"[\s()（）.·]", "", _folded(value))
    return COUNTRY_CODE_RE.sub("", value)


def clean_mobile(value: str) -> str:
    """A Chinese mobile number (11 digits, 13–19…), as needed for SMS; "" if nothing was typed."""
    value = _phone_digits(value).replace("-", "")
    if value and not MOBILE_RE.fullmatch(value):
        raise ValidationError(MOBILE_MESSAGE, code="phone")
    return value


def clean_phone_number(value: str) -> str:
    """A mobile, or a landline with its area code (a walk-in may give either); "" if none."""
    value = _phone_digits(value)
    if not value:
        return ""
    if MOBILE_RE.fullmatch(value.replace("-", "")):
        return value.replace("-", "")
    if LANDLINE_RE.fullmatch(value):
        return value
    raise ValidationError(PHONE_MESSAGE, code="phone")


def clean_id_number(value: str) -> str:
    """An 18-digit 居民身份证号码 with a valid birth date and check digit; "" if none."""
    value = re.sub(r"\s", "", _folded(value)).upper()
    if not value:
        return ""
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
    return value
