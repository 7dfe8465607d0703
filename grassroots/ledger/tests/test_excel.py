import io
import uuid
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from grassroots.ledger.excel import COLUMNS
from grassroots.ledger.models import EventKind, Problem, Status
from grassroots.ledger.tests.helpers import make_problem

pytestmark = pytest.mark.usefixtures("travel")  # Monday 2026-03-02

HEADERS = [h for h, _w in COLUMNS]


def test_it_exports_the_visible_problems_as_a_real_workbook(client, org):
    make_problem(org, description="排水沟堵塞")
    make_problem(org, description="学校门口缺少红绿灯", domain="transport", deadline=date(2026, 2, 1))
    make_problem(org, unit=org.hekou, actor=org.leader, description="河口镇的问题")
    client.force_login(org.head)
    response = client.get(reverse("ledger:export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["E"].width == 40
    by_description = {r[4]: r for r in rows[1:]}
    assert set(by_description) == {"排水沟堵塞", "学校门口缺少红绿灯"}
    late = by_description["学校门口缺少红绿灯"]
    assert late[1:4] == ("自查查摆", "交通", "城东村")
    assert late[6:11] == ("城关镇", "镇长汉克", late[8], 0, "逾期")
    assert late[8].date() == date(2026, 2, 1)


def test_it_exports_only_what_the_filters_show(client, org):
    make_problem(org, description="排水沟堵塞")
    make_problem(org, description="学校门口缺少红绿灯", domain="transport")
    client.force_login(org.head)
    response = client.get(reverse("ledger:export"), {"domain": "transport"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[4] for r in rows[1:]] == ["学校门口缺少红绿灯"]


def workbook(rows, name="台账.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue())


GOOD_1 = [
    1,
    "自查查摆",
    "养老",
    "城东村",
    "助餐点不足",
    "建食堂",
    "城关镇",
    "镇长汉克",
    date(2026, 6, 30),
    20,
]
GOOD_2 = [2, "调研发现", "教育", "", "校车线路不够", "增开线路", "城东村", "", "2026/5/1", "50%"]
BROKEN = [3, "自查查摆", "环境", "", "垃圾清运不及时", "", "不存在镇", "", "下个月", 150]
NO_DESCRIPTION = [4, "自查查摆", "环境", "", "", "", "城关镇", "", date(2026, 6, 30), 0]


def post_import(client, rows, **data):
    data.setdefault("submission_token", uuid.uuid4().hex)
    return client.post(reverse("ledger:import"), {"file": workbook(rows), **data})


def test_it_imports_nothing_when_a_row_is_bad_and_says_why(client, org):
    client.force_login(org.head)
    response = post_import(client, [GOOD_1, GOOD_2, BROKEN, NO_DESCRIPTION])
    assert response.status_code == 400
    page = response.content.decode()
    assert not Problem.objects.exists()
    assert "未导入任何问题" in page
    assert "第 4 行" in page
    assert "责任单位「不存在镇」不存在或不在您的管辖范围内" in page
    assert "整改时限「下个月」不是有效日期" in page
    assert "进展(%)「150」应为 0 至 100 之间的整数" in page
    assert "第 5 行" in page
    assert "缺少问题描述" in page
    assert "第 2 行" not in page


def test_it_imports_only_the_good_rows_when_asked(client, org):
    client.force_login(org.head)
    response = post_import(client, [GOOD_1, GOOD_2, BROKEN], only_good="on")
    assert response.status_code == 200
    assert "已导入 2 个问题" in response.content.decode()
    assert "第 4 行" in response.content.decode()
    problems = {p.description: p for p in Problem.objects.all()}
    assert set(problems) == {"助餐点不足", "校车线路不够"}
    first = problems["助餐点不足"]
    assert (first.responsible_unit, first.responsible_leader, first.place) == (
        org.chengguan,
        org.head,
        org.chengdong,
    )
    assert (first.domain, first.deadline, first.progress, first.status) == (
        "elderly",
        date(2026, 6, 30),
        20,
        Status.IN_PROGRESS,
    )
    second = problems["校车线路不够"]
    assert (second.responsible_unit, second.deadline, second.progress) == (
        org.chengdong,
        date(2026, 5, 1),
        50,
    )
    assert first.events.get().kind == EventKind.IMPORT


def test_it_imports_a_clean_file_whole(client, org):
    client.force_login(org.head)
    response = post_import(client, [GOOD_1, GOOD_2])
    assert response.status_code == 302
    assert Problem.objects.count() == 2


def test_it_refuses_units_the_importer_does_not_keep(client, org):
    client.force_login(org.head)
    row = [1, "自查查摆", "环境", "", "河口镇的问题", "", "河口镇", "", date(2026, 6, 30), 0]
    response = post_import(client, [row])
    assert "责任单位「河口镇」不存在或不在您的管辖范围内" in response.content.decode()
    assert not Problem.objects.exists()


def test_it_refuses_a_file_that_is_not_xlsx(client, org):
    client.force_login(org.head)
    csv = SimpleUploadedFile("台账.csv", "序号,问题描述\n1,路灯坏了\n".encode())
    response = client.post(reverse("ledger:import"), {"file": csv, "submission_token": uuid.uuid4().hex})
    assert response.status_code == 400
    assert "只能导入 Excel 文件（.xlsx）" in response.content.decode()

    disguised = SimpleUploadedFile("台账.xlsx", b"not really a workbook")
    response = client.post(
        reverse("ledger:import"), {"file": disguised, "submission_token": uuid.uuid4().hex}
    )
    assert response.status_code == 400
    assert "不是 Excel（.xlsx）格式" in response.content.decode()
    assert not Problem.objects.exists()


def test_it_refuses_a_file_over_5_mb(client, org):
    client.force_login(org.head)
    big = SimpleUploadedFile("台账.xlsx", b"PK\x03\x04" + b"\x00" * (5 * 1024 * 1024))
    response = client.post(reverse("ledger:import"), {"file": big, "submission_token": uuid.uuid4().hex})
    assert response.status_code == 400
    assert "文件超过 5 MB" in response.content.decode()


def test_it_reads_back_its_own_export(client, org):
    make_problem(org, description="排水沟堵塞")
    client.force_login(org.head)
    exported = client.get(reverse("ledger:export")).content
    response = client.post(
        reverse("ledger:import"),
        {"file": SimpleUploadedFile("台账.xlsx", exported), "submission_token": uuid.uuid4().hex},
    )
    assert response.status_code == 302
    assert Problem.objects.filter(description="排水沟堵塞").count() == 2


def test_it_lets_only_keepers_import(client, org):
    client.force_login(org.handler)
    assert post_import(client, [GOOD_1]).status_code == 403
    assert not Problem.objects.exists()


def test_it_imports_a_double_clicked_file_once(client, org):
    client.force_login(org.head)
    token = uuid.uuid4().hex
    assert post_import(client, [GOOD_1, GOOD_2], submission_token=token).status_code == 302
    again = post_import(client, [GOOD_1, GOOD_2], submission_token=token)
    assert again.status_code == 302
    assert Problem.objects.count() == 2
    assert "这份台账已经导入，未重复导入" in client.get(again["Location"]).content.decode()

    assert post_import(client, [GOOD_1]).status_code == 302  # a new form imports again
    assert Problem.objects.count() == 3


def test_it_keeps_the_token_of_a_refused_file_so_the_corrected_one_imports(client, org):
    client.force_login(org.head)
    token = uuid.uuid4().hex
    refused = post_import(client, [GOOD_1, BROKEN], submission_token=token)
    assert refused.status_code == 400
    assert f'value="{token}"' in refused.content.decode()
    assert post_import(client, [GOOD_1, BROKEN], submission_token=token, only_good="on").status_code == 200
    assert Problem.objects.count() == 1


def test_it_refuses_an_import_form_without_its_token(client, org):
    client.force_login(org.head)
    response = client.post(reverse("ledger:import"), {"file": workbook([GOOD_1])})
    assert response.status_code == 400
    assert "表单已失效，请刷新页面后重新导入" in response.content.decode()
    assert 'name="submission_token"' in response.content.decode()
    assert not Problem.objects.exists()


def test_it_rolls_back_the_second_click_that_raced_past_the_check(org):
    """The second click checked for the token before the first one committed: its import
    fails on the token's unique constraint and leaves nothing behind."""
    from grassroots.ledger.actions import import_rows

    rows = [{**ROW_FIELDS, "responsible_unit": org.chengguan}]
    token = uuid.uuid4().hex
    assert len(import_rows(actor=org.head, rows=rows, submission_token=token)) == 1
    assert import_rows(actor=org.head, rows=rows, submission_token=token) == []
    assert Problem.objects.count() == 1
    assert Problem.objects.get().submission_token == token


ROW_FIELDS = {
    "source": "self_check",
    "domain": "elderly",
    "place": None,
    "address": "",
    "description": "助餐点不足",
    "measures": "建食堂",
    "responsible_leader": None,
    "deadline": date(2026, 6, 30),
    "progress": 0,
}
