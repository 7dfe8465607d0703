"""python manage.py import_categories FILE.csv — a category tree from a CSV with columns
level1,level2,level3 (level2 and level3 may be empty). Existing categories are kept;
running it twice changes nothing. The whole file is checked before anything is written.
"""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from grassroots.administration.actions import CATEGORIES
from grassroots.appeals.models import Category
from grassroots.audit.context import from_command
from grassroots.demo.taxonomy import load_paths

COLUMNS = ("level1", "level2", "level3")
NAME_MAX = Category._meta.get_field("name").max_length


def read_paths(path: Path) -> list[tuple[str, ...]]:
    """The category paths in the file, in file order, or CommandError saying what is wrong."""
    if not path.is_file():
        raise CommandError(f"找不到文件：{path}")
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # Excel on Chinese Windows saves GBK
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise CommandError("无法识别文件编码，请另存为 UTF-8 编码的 CSV 文件。")
    rows = csv.reader(text.splitlines())
    header = [h.strip().lower() for h in next(rows, [])]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise CommandError(f"CSV 文件缺少列：{'、'.join(missing)}。第一行应为表头 level1,level2,level3。")
    index = [header.index(c) for c in COLUMNS]
    paths, problems = [], []
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            row = row + [""] * (len(header) - len(row))
        names = [row[i].strip() for i in index]
        if not names[0]:
            problems.append(f"第 {line} 行：一级分类不能为空")
        elif names[2] and not names[1]:
            problems.append(f"第 {line} 行：有三级分类时必须填写二级分类")
        elif any(len(n) > NAME_MAX for n in names):
            problems.append(f"第 {line} 行：分类名称不能超过 {NAME_MAX} 个字")
        else:
            paths.append(tuple(n for n in names if n))
    if problems:
        shown = "；".join(problems[:10]) + ("……" if len(problems) > 10 else "")
        raise CommandError(f"CSV 文件有 {len(problems)} 处错误，未导入任何分类：{shown}")
    if not paths:
        raise CommandError("CSV 文件中没有分类数据。")
    return paths


class Command(BaseCommand):
    help = "从 CSV 文件（列：level1,level2,level3）导入诉求分类；已有分类保留，可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV 文件路径")

    def handle(self, *args, file, **options):
        paths = read_paths(Path(file))
        with transaction.atomic(), from_command("import_categories"):
            by_path, created = load_paths(paths)
            after = {"文件": str(file), "新增分类": created, "已有分类": len(by_path) - created}
            CATEGORIES.record(
                "category.import", "导入诉求分类", actor=None, target=Path(file).name, after=after
            )
        kept = len(by_path) - created
        self.stdout.write(f"导入完成：文件中共 {len(by_path)} 个分类，新增 {created} 个，已存在 {kept} 个。")
