"""The one check of phone and ID numbers (lib.validators), used by every form that takes them."""

import pytest
from django.core.exceptions import ValidationError

from grassroots.lib.validators import clean_id_number, clean_mobile, clean_phone_number


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 13812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),  # as browsers autofill a saved number
        ("+8613812345678", "13812345678"),
        ("0086 138-1234-5678", "13812345678"),
        ("86 13812345678", "13812345678"),
        ("(+86) 138.1234.5678", "13812345678"),
        ("＋８６　１３８－１２３４－５６７８", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),  # typed with a full-width input method
        ("", ""),
    ],
)
def test_it_normalises_mobile_numbers(typed, stored):
    assert clean_mobile(typed) == stored


@pytest.mark.parametrize(
    "phone", ["12812345678", "1381234567", "138123456789", "1381234567a", "0591-87654321"]
)
def test_it_rejects_other_numbers_where_a_mobile_is_needed_in_chinese(phone):
    with pytest.raises(ValidationError, match="手机号码"):
        clean_mobile(phone)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("0591-87654321", "0591-87654321"), ("(0591)87654321", "059187654321"), ("13812345678", "13812345678")],
)
def test_it_takes_a_landline_where_any_phone_will_do(typed, stored):
    assert clean_phone_number(typed) == stored


def test_it_rejects_a_number_that_is_neither_in_chinese():
    with pytest.raises(ValidationError, match="固定电话"):
        clean_phone_number("12345")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("11010519491231002X", "11010519491231002X"),
        ("11010519491231002x", "11010519491231002X"),
        (" 440304199001011233 ", "440304199001011233"),
        ("４４０３０４１９９００１０１１２３３", "440304199001011233"),
        ("", ""),
    ],
)
def test_it_accepts_id_numbers_with_a_correct_check_digit(typed, stored):
    assert clean_id_number(typed) == stored


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
        clean_id_number(number)
