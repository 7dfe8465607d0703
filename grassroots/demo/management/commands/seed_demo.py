"""python manage.py seed_demo [--if-empty] [--reset] [--appeals N] [--seed S]"""

import random
import time
import unicodedata

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from grassroots.accounts.models import Membership, OrgUnit, Role, User
from grassroots.appeals.models import Appeal, Status
from grassroots.demo import activities as activities_demo
from grassroots.demo import commitments as commitments_demo
from grassroots.demo import generator, orgtree
from grassroots.demo import ledger as ledger_demo
from grassroots.demo import onsite as onsite_demo
from grassroots.demo import reception as reception_demo
from grassroots.demo import research as research_demo
from grassroots.demo import surveys as surveys_demo
from grassroots.demo.reset import reset_demo_data
from grassroots.demo.taxonomy import default_paths, load_paths
from grassroots.onsite.models import Task

# The accounts worth trying first, in the order they are listed.
SHOWN = [
    "admin_city",
    "leader_city",
    "supervisor_city",
    "clerk_city",
    "handler_city_zhujian",
    "head_city_zhujian",
    "leader_qh_shuji",
    "leader_qh",
    "supervisor_qh",
    "clerk_qh",
    "handler_qh_zhujian",
    "head_qh_zhujian",
    "handler_hefeng",
    "head_hefeng",
    "clerk_jc",
    "handler_binjiang",
    "head_binjiang",
]


class Command(BaseCommand):
    help = "生成演示数据：宁川市组织机构、演示账号、诉求分类与派单目录，以及近一年的信访诉求。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="数据库中已有诉求（或组织机构）时不做任何事"
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="先删除现有数据（诉求、派单目录、分类、任职、非超级用户、组织机构）",
        )
        parser.add_argument("--accounts", action="store_true", help="只列出演示账号，不生成数据")
        parser.add_argument("--appeals", type=int, default=2000, help="生成的诉求条数（默认 2000）")
        parser.add_argument(
            "--seed", type=int, default=2026, help="随机种子，相同种子得到相同数据（默认 2026）"
        )

    def handle(self, *args, if_empty=False, reset=False, accounts=False, appeals=2000, seed=2026, **options):
        if accounts:
            self._accounts()
            return
        if appeals < 0:
            raise CommandError("诉求条数不能为负数。")
        if if_empty and not reset and (Appeal.objects.exists() or OrgUnit.objects.exists()):
            self.stdout.write("数据库中已有数据，跳过演示数据生成。")
            self._accounts()
            return
        started = time.monotonic()
        with transaction.atomic():
            if reset:
                reset_demo_data()
            elif OrgUnit.objects.exists() or User.objects.filter(is_superuser=False).exists():
                raise CommandError(
                    "数据库中已有组织机构或用户，未生成演示数据。"
                    "如需清空后重新生成，请加 --reset（将删除现有诉求、分类、用户和组织机构）。"
                )
            categories, _created = load_paths(default_paths())
            org = orgtree.build(random.Random(f"{seed}:people"), categories)
            counts = generator.generate(org, categories, count=appeals, seed=seed)
            practices = _seed_practices(org, seed)
        elapsed = time.monotonic() - started
        self._summary(org, counts, elapsed)
        self.stdout.write("四下基层：" + "，".join(f"{label} {n}" for label, n in practices.items()) + "。")

    def _summary(self, org, counts, elapsed):
        out = self.stdout
        units = sum(1 for _ in OrgUnit.objects.all().only("id"))
        out.write(
            f"已生成演示数据（用时 {elapsed:.1f} 秒）：组织机构 {units} 个，"
            f"演示账号 {len(org.users)} 个，诉求 {sum(counts.values())} 条。"
        )
        if counts:
            out.write(
                "诉求状态："
                + "，".join(
                    f"{label} {counts[value]}" for value, label in Status.choices if counts.get(value)
                )
            )
        out.write("")
        self._accounts()

    def _accounts(self):
        """The demo logins worth trying first, as they are in the database now."""
        out = self.stdout
        users = {u.username: u for u in User.objects.filter(username__in=SHOWN, is_active=True)}
        if not users:
            out.write("数据库中没有演示账号（可用 python manage.py seed_demo 生成）。")
            return
        posts = {}
        for m in Membership.objects.filter(user__in=users.values()).select_related("unit").order_by("pk"):
            posts.setdefault(m.user_id, m)
        out.write(f"演示账号（密码均为 {orgtree.DEMO_PASSWORD}）：")
        rows = [("用户名", "密码", "角色", "单位", "姓名")]
        for username in SHOWN:
            user = users.get(username)
            m = posts.get(user.pk) if user else None
            if m is None:
                continue
            role_label = Role(m.role).label + (f"（{m.post}）" if m.post else "")
            rows.append((username, orgtree.DEMO_PASSWORD, str(role_label), m.unit.name, user.display_name))
        widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
        for i, row in enumerate(rows):
            out.write("  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip())
            if i == 0:
                out.write("  ".join("-" * w for w in widths))
        total = User.objects.filter(is_superuser=False).count()
        out.write(
            f"其余账号按 角色_县区代码_部门 命名（县区代码：jc 江澄区、qh 青禾县、yl 云岭县；"
            f"如 handler_yl_jiaoyu、head_jc_chengguan、handler_songping），共 {total} 个，密码相同。"
        )


def _seed_practices(org, seed) -> dict:
    """The four practices, the ledger and the commitments on the demo tree, after the appeals they link to."""
    today = timezone.localdate()
    appeals = list(Appeal.objects.all())

    def rng(part):
        return random.Random(f"{seed}:{part}")

    problems = ledger_demo.seed(org, rng("ledger"), today, appeals=appeals)
    questionnaires = surveys_demo.seed(org, rng("surveys"), today)
    reception_days = reception_demo.seed(org, rng("reception"), today, appeals=appeals)
    activities = activities_demo.seed(org, rng("activities"), today)
    research = research_demo.seed(org, rng("research"), today)
    onsite = onsite_demo.seed(org, rng("onsite"), today)
    tasks = Task.objects.select_related(
        "session__owner", "session__activity__place", "session__activity__unit", "responsible_unit"
    ).order_by("pk")
    commitments = commitments_demo.seed(org, rng("commitments"), today, problems=problems, tasks=tasks)
    return {
        "问题清单": len(problems),
        "公开承诺": sum(commitments.values()),
        "问卷": len(questionnaires),
        "领导接访日": len(reception_days),
        "下基层活动": activities.get("activities", 0) + research["visits"] + onsite["sessions"],
        "调研课题": research["topics"],
        "现场办公任务": onsite["tasks"],
    }


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
