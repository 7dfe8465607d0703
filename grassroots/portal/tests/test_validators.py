import pytest
from django.core.exceptions import ValidationError

from grassroots.lib.validators import validate_id_number, validate_phone


@pytest.mark.parametrize("phone", ["13812345678", "19900000000", "15000000001"])
def test_it_accepts_mobile_numbers(phone):
    validate_phone(phone)


@pytest.mark.parametrize("phone", ["12812345678", "1381234567", "138123456789", "1381234567a", ""])
def test_it_rejects_other_numbers_in_chinese(phone):
    with pytest.raises(ValidationError, match="手机号码"):
        validate_phone(phone)


@pytest.mark.parametrize("number", ["11010519491231002X", "11010519491231002x", "440304199001011233"])
def test_it_accepts_id_numbers_with_a_correct_check_digit(number):
    validate_id_number(number)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("110105194912310021", "校验位"),
        ("11010519491231002", "18 位"),
        ("110105194913310029", "出生日期"),
    ],
)
def test_it_rejects_bad_id_numbers_in_chinese(number, message):
    with pytest.raises(ValidationError, match=message):
        validate_id_number(number)
