import pytest


@pytest.fixture
def form_data():
    def make(**kw):
        data = {
            "title": "小区路灯损坏",
            "content": "城东村三组路灯坏了两个月，晚上出行不便。",
            "petitioner_name": "王小明",
            "phone": "13812345678",
            "id_number": "",
            "address": "城东村三组",
            "submission_token": "a" * 32,
            "website": "",
        }
        data.update(kw)
        return data

    return make
