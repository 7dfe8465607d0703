"""Personal data at rest is encrypted, shown masked, and a wrong key never crashes a page."""

import pytest
from django.db import connection

from grassroots.lib import crypto

PHONE = "13812345678"
ID_NUMBER = "11010119900101123X"


@pytest.mark.parametrize("value", [PHONE, ID_NUMBER, "王小明", "0591-87654321 转 8001"])
def test_it_decrypts_what_it_encrypted(value):
    token = crypto.encrypt(value)
    assert token != value and value not in token
    assert crypto.decrypt(token) == value


def test_it_encrypts_the_same_value_differently_each_time():
    assert crypto.encrypt(PHONE) != crypto.encrypt(PHONE)


def test_it_keeps_empty_values_empty():
    assert crypto.encrypt("") == "" and crypto.decrypt("") == ""


def test_it_stores_no_clear_phone_or_id_number_in_the_database(org, make_appeal):
    appeal = make_appeal(phone=PHONE, id_number=ID_NUMBER.lower())
    table = appeal._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT phone_encrypted, id_number_encrypted FROM {table} WHERE id = %s",  # noqa: S608
            [appeal.pk],
        )
        stored_phone, stored_id = cursor.fetchone()
    assert stored_phone and PHONE not in stored_phone
    assert stored_id and ID_NUMBER[:14] not in stored_id.upper()
    assert (appeal.phone, appeal.id_number) == (PHONE, ID_NUMBER)  # stored upper-cased


def test_it_stores_representatives_phones_encrypted(org, make_appeal):
    appeal = make_appeal(is_group=True, representatives=[("张三", "13900001111"), ("李四", "13900002222")])
    stored = list(appeal.representatives.values_list("phone_encrypted", flat=True))
    assert all("1390000" not in token for token in stored)
    assert [r.masked_phone for r in appeal.representatives.order_by("id")] == ["139****1111", "139****2222"]


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        ("0591-87654321", "059******4321"),
        ("123456", "******"),
        ("", ""),
    ],
)
def test_it_masks_phone_numbers(phone, masked):
    assert crypto.mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("110101199001011234", "110***********1234"),
        ("11010119900101123X", "110***********123X"),
        ("1234567", "*******"),
        ("", ""),
    ],
)
def test_it_masks_id_numbers(number, masked):
    assert crypto.mask_id_number(number) == masked


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("王小明", "王**"),
        ("王", "王*"),
        ("欧阳娜娜", "欧***"),
        ("", ""),
    ],
)
def test_it_masks_names(name, masked):
    assert crypto.mask_name(name) == masked


def test_it_shows_a_placeholder_for_a_value_encrypted_under_another_key(settings, org, make_appeal):
    settings.FIELD_ENCRYPTION_KEY = "the-old-key"
    appeal = make_appeal(phone=PHONE)
    settings.FIELD_ENCRYPTION_KEY = "the-new-key"

    assert crypto.decrypt(appeal.phone_encrypted) == "（无法解密）"
    assert appeal.phone == "（无法解密）"
    assert PHONE[-4:] not in appeal.masked_phone


@pytest.mark.parametrize("garbage", ["not-a-token", "中文", "gAAAAA", "=" * 8])
def test_it_shows_a_placeholder_for_a_damaged_value(garbage):
    assert crypto.decrypt(garbage) == "（无法解密）"
