"""Shared fixtures: a small org tree and named people, one per role.

示范市 (city)                      admin: 管理员 Adam
  示范市信访局 (department)
  东城县 (county)                  supervisor: 督办 Susan, leader: 县长 Lee
    东城县信访局 (department)      clerk: 登记 Alice
    东城县住建局 (department)      handler: Dora
    城关镇 (township)              handler: Bob, unit_head: 镇长 Hank
      城东村 (village)             handler: Vera
    河口镇 (township)              handler: Carl
  西山区 (county)
    山前街道 (township)            handler: Wendy (outside everything above)
"""

import pytest

from grassroots.accounts.models import Level, Membership, OrgUnit, Role, UnitKind, User


class Org:
    pass


def _unit(name, level, parent=None, kind=UnitKind.AREA):
    return OrgUnit.objects.create(name=name, level=level, parent=parent, kind=kind)


def _person(username, name, unit, role, post=""):
    user = User.objects.create_user(
        username, password="pw-12345678", display_name=name, email=f"{username}@example.gov.cn"
    )
    Membership.objects.create(user=user, unit=unit, role=role, post=post)
    return user


@pytest.fixture
def org(db):
    o = Org()
    o.city = _unit("示范市", Level.CITY)
    o.city_petition = _unit("示范市信访局", Level.CITY, o.city, UnitKind.DEPARTMENT)
    o.east = _unit("东城县", Level.COUNTY, o.city)
    o.east_petition = _unit("东城县信访局", Level.COUNTY, o.east, UnitKind.DEPARTMENT)
    o.east_housing = _unit("东城县住建局", Level.COUNTY, o.east, UnitKind.DEPARTMENT)
    o.chengguan = _unit("城关镇", Level.TOWNSHIP, o.east)
    o.chengdong = _unit("城东村", Level.VILLAGE, o.chengguan)
    o.hekou = _unit("河口镇", Level.TOWNSHIP, o.east)
    o.west = _unit("西山区", Level.COUNTY, o.city)
    o.shanqian = _unit("山前街道", Level.TOWNSHIP, o.west)

    o.admin = _person("adam", "管理员", o.city, Role.ADMIN)
    o.supervisor = _person("susan", "督办员苏珊", o.east, Role.SUPERVISOR)
    o.leader = _person("lee", "县长李", o.east, Role.LEADER, post="县长")
    o.clerk = _person("alice", "登记员爱丽丝", o.east_petition, Role.CLERK)
    o.housing_handler = _person("dora", "住建局朵拉", o.east_housing, Role.HANDLER)
    o.handler = _person("bob", "城关镇鲍勃", o.chengguan, Role.HANDLER)
    o.head = _person("hank", "镇长汉克", o.chengguan, Role.UNIT_HEAD)
    o.village_handler = _person("vera", "城东村薇拉", o.chengdong, Role.HANDLER)
    o.hekou_handler = _person("carl", "河口镇卡尔", o.hekou, Role.HANDLER)
    o.outsider = _person("wendy", "山前街道温迪", o.shanqian, Role.HANDLER)
    return o


@pytest.fixture
def make_appeal(org):
    """Register an appeal at the east county desk, as the clerk would."""
    from grassroots.appeals import actions

    def make(**kw):
        fields = {
            "registered_unit": org.east_petition,
            "actor": org.clerk,
            "channel": "visit",
            "title": "小区路灯损坏",
            "content": "城东村三组路灯坏了两个月，晚上出行不便。",
            "petitioner_name": "王小明",
            "phone": "13812345678",
            "id_number": "110101199001011234",
            "place_unit": org.chengdong,
        }
        fields.update(kw)
        return actions.register(**fields)

    return make


@pytest.fixture(autouse=True)
def _memory_outbox(settings):
    from grassroots.notify.senders import MemorySender, _sender_for

    settings.NOTIFY_BACKEND = "memory"
    _sender_for.cache_clear()
    MemorySender.outbox.clear()
    yield MemorySender.outbox


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploads and model files of a test live in its own folder, never in var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TEXTCORE_MODEL_DIR = tmp_path / "models"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and the cached working calendar must not leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # `org` creates ten users; the default hasher would make that take seconds per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def travel():
    """Freeze time on Monday 2026-03-02, well clear of holidays."""
    import time_machine

    with time_machine.travel("2026-03-02 10:00 +0800", tick=False) as t:
        yield t


@pytest.fixture(autouse=True)
def _calendar_defaults(request):
    """Transactional tests flush the database, seeded rows included; put the defaults back."""
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        marker = request.node.get_closest_marker("django_db")
        if not (marker and marker.kwargs.get("transaction")):
            return
    request.getfixturevalue("transactional_db")
    from grassroots.workcal.defaults import seed, seed_law
    from grassroots.workcal.models import CalendarDay, CalendarYear, DeadlineRule, PauseGround

    if not DeadlineRule.objects.exists():
        seed(DeadlineRule, CalendarDay, CalendarYear)
        seed_law(DeadlineRule, PauseGround)


@pytest.fixture
def form_data():
    """What a resident types into the portal's submission form."""

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
