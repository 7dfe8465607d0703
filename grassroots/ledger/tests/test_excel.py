import io
import uuid
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from grassroots.ledger.actions import import_plan
from grassroots.ledger.excel import COLUMNS
from grassroots.ledger.importing import Plan
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
    assert rows[0][0] == "城关镇问题清单（整改台账）"
    assert rows[1][0] == "导出：镇长汉克　　导出日期：2026年3月2日　　共 2 项"
    assert list(rows[2]) == HEADERS
    assert ws.freeze_panes == "A4"
    assert ws.column_dimensions["F"].width == 40
    by_description = {r[5]: r for r in rows[3:]}
    assert set(by_description) == {"排水沟堵塞", "学校门口缺少红绿灯"}
    late = by_description["学校门口缺少红绿灯"]
    assert late[1] == Problem.objects.get(description="学校门口缺少红绿灯").pk
    assert late[2:5] == ("自查查摆", "交通", "城东村")
    assert late[7:12] == ("城关镇", "镇长汉克", late[9], 0, "逾期")
    assert late[9].date() == date(2026, 2, 1)


def test_it_exports_only_what_the_filters_show(client, org):
    make_problem(org, description="排水沟堵塞")
    make_problem(org, description="学校门口缺少红绿灯", domain="transport")
    client.force_login(org.head)
    response = client.get(reverse("ledger:export"), {"domain": "transport"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[5] for r in rows[3:]] == ["学校门口缺少红绿灯"]


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
    "",
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
GOOD_2 = [2, "", "调研发现", "教育", "", "校车线路不够", "增开线路", "城东村", "", "2026/5/1", "50%"]
BROKEN = [3, "", "自查查摆", "环境", "", "垃圾清运不及时", "", "不存在镇", "", "下个月", 150]
NO_DESCRIPTION = [4, "", "自查查摆", "环境", "", "", "", "城关镇", "", date(2026, 6, 30), 0]


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
    bad_rows = page[page.index('id="bad-rows"') :]
    assert "第 2 行" not in bad_rows and "第 3 行" not in bad_rows


def test_it_imports_only_the_good_rows_when_asked(client, org):
    client.force_login(org.head)
    response = post_import(client, [GOOD_1, GOOD_2, BROKEN], only_good="on")
    assert response.status_code == 200
    assert "已新增 2 个问题" in response.content.decode()
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
    row = [1, "", "自查查摆", "环境", "", "河口镇的问题", "", "河口镇", "", date(2026, 6, 30), 0]
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


def export(client, **filters):
    return client.get(reverse("ledger:export"), filters).content


def edited(exported: bytes, edit) -> SimpleUploadedFile:
    """The export as a unit sends it back: `edit(rows by problem number, header)` changes cells."""
    wb = load_workbook(io.BytesIO(exported))
    ws = wb.active
    header = [c.value for c in ws[3]]
    by_number = {row[1].value: row for row in ws.iter_rows(min_row=4)}
    edit(by_number, {h: i for i, h in enumerate(header)})
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("台账.xlsx", out.getvalue())


def import_file(client, f, **data):
    return client.post(reverse("ledger:import"), {"file": f, "submission_token": uuid.uuid4().hex, **data})


def test_it_reads_back_its_own_export_without_adding_anything(client, org):
    open_one = make_problem(org, description="排水沟堵塞")
    closed = make_problem(org, description="路灯不亮")
    Problem.objects.filter(pk=closed.pk).update(status=Status.CLOSED)
    client.force_login(org.head)
    response = import_file(client, SimpleUploadedFile("台账.xlsx", export(client)))
    assert response.status_code == 200
    assert "没有需要新增或更新的问题：2 行与清单一致" in response.content.decode()
    assert Problem.objects.count() == 2
    assert [e.kind for e in open_one.events.all()] == [EventKind.CREATE]


def test_it_updates_the_problems_an_export_names_on_their_timelines(client, org):
    problem = make_problem(org, description="排水沟堵塞")
    client.force_login(org.head)

    def edit(rows, col):
        row = rows[problem.pk]
        row[col["整改措施"]].value = "清淤、加装盖板并每月巡查"
        row[col["整改时限"]].value = date(2026, 4, 30)
        row[col["进展(%)"]].value = 60

    response = import_file(client, edited(export(client), edit))
    assert response.status_code == 302
    problem.refresh_from_db()
    assert (problem.measures, problem.deadline, problem.progress) == (
        "清淤、加装盖板并每月巡查",
        date(2026, 4, 30),
        60,
    )
    assert Problem.objects.count() == 1
    edit_event, progress_event = problem.events.exclude(kind=EventKind.CREATE)
    assert edit_event.kind == EventKind.EDIT and edit_event.actor == org.head
    assert "整改措施" in edit_event.note and "整改时限：2026-03-31 → 2026-04-30" in edit_event.note
    assert (progress_event.kind, progress_event.progress) == (EventKind.PROGRESS, 60)


def test_a_dry_run_shows_what_would_be_added_changed_and_refused_and_writes_nothing(client, org):
    problem = make_problem(org, description="排水沟堵塞")
    closed = make_problem(org, description="路灯不亮")
    Problem.objects.filter(pk=closed.pk).update(status=Status.CLOSED)
    client.force_login(org.head)

    def edit(rows, col):
        rows[problem.pk][col["进展(%)"]].value = 80
        rows[closed.pk][col["整改措施"]].value = "换灯"
        new = rows[problem.pk]
        ws = new[0].parent
        ws.append(["", "", "自查查摆", "环境", "", "垃圾清运不及时", "", "城关镇", "", date(2026, 6, 30), 0])

    f = edited(export(client), edit)
    response = import_file(client, f, dry_run="on")
    page = response.content.decode()
    assert response.status_code == 200
    assert "预览" in page and "新增 1 个问题，修改 1 个，0 个与清单一致，有误 1 行" in page
    assert "进展(%)：0% → 80%" in page
    assert f"问题 {closed.pk} 已销号，不能再修改" in page
    assert Problem.objects.count() == 2
    assert problem.events.count() == 1
    problem.refresh_from_db()
    assert problem.progress == 0

    f.seek(0)
    response = import_file(client, f, only_good="on")
    assert "已新增 1 个问题，更新 1 个" in response.content.decode()
    assert Problem.objects.count() == 3
    problem.refresh_from_db()
    assert problem.progress == 80


def test_an_old_export_without_numbers_never_adds_a_problem_twice(client, org):
    make_problem(org, description="排水沟堵塞")
    client.force_login(org.head)
    row = [1, "", "自查查摆", "环境", "城东村", "排水沟堵塞", "", "城关镇", "", date(2026, 3, 31), 0]
    response = post_import(
        client, [row, [2, *row[1:5], "新问题", *row[6:]], [3, *row[1:5], "新问题", *row[6:]]]
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert f"清单中已有这个问题（问题编号 {Problem.objects.get().pk}" in page
    assert "与第 3 行重复" in page
    assert Problem.objects.count() == 1


def test_it_refuses_numbers_outside_the_importers_ledger_and_status_changes(client, org):
    theirs = make_problem(org, unit=org.hekou, actor=org.leader, description="河口镇的问题")
    mine = make_problem(org, description="排水沟堵塞")
    client.force_login(org.head)
    row = [1, theirs.pk, "自查查摆", "环境", "", "河口镇的问题", "", "城关镇", "", date(2026, 6, 30), 0]
    done = [2, mine.pk, "自查查摆", "环境", "城东村", "排水沟堵塞", "清淤并加装盖板", "城关镇", "镇长汉克"]
    done += [date(2026, 3, 31), 100, "已验收待销号"]
    response = post_import(client, [row, done])
    page = response.content.decode()
    assert f"问题编号 {theirs.pk} 不存在或不在您的管辖范围内" in page
    assert "状态「已验收待销号」与系统中的「整改中」不同：提请验收、验收和销号须在系统中办理" in page
    mine.refresh_from_db()
    assert (mine.status, mine.progress) == (Status.IN_PROGRESS, 0)


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

    another = [5, "", "自查查摆", "环境", "", "垃圾清运不及时", "", "城关镇", "", date(2026, 6, 30), 0]
    assert post_import(client, [another]).status_code == 302  # a new form imports again
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
    plan = Plan(added=[(2, {**ROW_FIELDS, "responsible_unit": org.chengguan})])
    token = uuid.uuid4().hex
    assert len(import_plan(actor=org.head, plan=plan, submission_token=token)) == 1
    assert import_plan(actor=org.head, plan=plan, submission_token=token) == []
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
