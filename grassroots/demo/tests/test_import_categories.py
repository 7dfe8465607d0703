from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from grassroots.appeals.models import Category
from grassroots.audit.models import AuditEntry

CSV = """level1,level2,level3
城乡建设,物业管理,物业服务
城乡建设,物业管理,维修资金
城乡建设,市政设施,
劳动和社会保障,劳动关系,拖欠工资

其他,,
"""


def run(path):
    out = StringIO()
    call_command("import_categories", str(path), stdout=out)
    return out.getvalue()


def test_it_imports_a_three_level_tree_and_is_idempotent(db, tmp_path):
    path = tmp_path / "taxonomy.csv"
    path.write_text(CSV, encoding="utf-8-sig")
    assert "新增 9 个" in run(path)
    leaf = Category.objects.get(name="维修资金")
    assert leaf.level == 3 and leaf.full_name == "城乡建设 / 物业管理 / 维修资金"
    assert Category.objects.get(name="其他").level == 1
    assert Category.objects.filter(name="城乡建设").count() == 1

    assert "新增 0 个" in run(path)
    assert Category.objects.count() == 9
    logged = AuditEntry.objects.filter(action="category.import").order_by("id")
    assert [e.after["新增分类"] for e in logged] == [9, 0]
    assert logged[0].actor_name == "系统" and logged[0].user_agent == "命令行 manage.py import_categories"


def test_it_adds_to_categories_that_already_exist(db, tmp_path):
    housing = Category.objects.create(name="城乡建设")
    path = tmp_path / "more.csv"
    path.write_text("level1,level2,level3\n城乡建设,住房保障,公租房\n", encoding="gb18030")
    run(path)
    assert Category.objects.get(name="住房保障").parent == housing
    assert Category.objects.count() == 3


@pytest.mark.parametrize(
    "content, message",
    [
        ("name,parent\n城乡建设,\n", "CSV 文件缺少列：level1、level2、level3"),
        ("level1,level2,level3\n,物业管理,物业服务\n", "第 2 行：一级分类不能为空"),
        (
            "level1,level2,level3\n城乡建设,物业管理,\n城乡建设,,物业服务\n",
            "第 3 行：有三级分类时必须填写二级分类",
        ),
        ("level1,level2,level3\n", "CSV 文件中没有分类数据"),
    ],
)
def test_it_rejects_a_malformed_file_in_chinese_and_writes_nothing(db, tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run(path)
    assert not Category.objects.exists()


def test_it_says_when_the_file_is_missing(db, tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        run(tmp_path / "nope.csv")
