import csv
from datetime import datetime, timedelta

from textcore.__main__ import main
from textcore.hotspots import Message, find_hotspots, heat_index

T0 = datetime(2024, 5, 1, 9, 0)

MIXER_LIFA = [
    "丽发新城小区旁搅拌站噪音扰民\n丽发新城小区旁边新建搅拌站，日夜施工，噪音很大，粉尘满天飞，居民无法休息。",
    "投诉丽发新城小区附近搅拌站噪音污染\n丽发新城小区附近的搅拌站晚上还在运作，机器噪音吵得睡不着，粉尘严重。",
    "丽发新城小区搅拌站粉尘噪音严重\n我是丽发新城小区业主，小区旁搅拌站每天噪音扰民，粉尘污染，请求搬走搅拌站。",
]
OIL_LIFA = [
    "丽发新城小区临街餐馆油烟直排\n丽发新城小区楼下的餐馆没有油烟净化设备，油烟直排进家里，窗户都不敢开。",
    "丽发新城小区餐馆油烟扰民\n丽发新城小区临街餐馆油烟直排，熏得住户受不了，请环保部门处理油烟。",
]
MIXER_JINLU = [
    "金麓小区旁搅拌站噪音扰民\n金麓小区旁边新建搅拌站，日夜施工，噪音很大，粉尘满天飞，居民无法休息。",
    "投诉金麓小区附近搅拌站噪音污染\n金麓小区附近的搅拌站晚上还在运作，机器噪音吵得睡不着，粉尘严重。",
]
OTHERS = [
    "咨询社保卡补办流程\n请问社保卡丢失后在哪里补办，需要带什么材料？",
    "建议增加公交线路\n希望开通一条从火车站到开发区的公交线路，方便上下班。",
    "孩子入学问题咨询\n请问外地户口的孩子在本地上小学需要哪些证明？",
]


def messages_of(texts, prefix, start=T0, step_days=1, likes=0):
    return [
        Message(
            id=f"{prefix}{i}",
            text=t,
            time=start + timedelta(days=i * step_days),
            likes=likes,
            user=f"{prefix}u{i}",
        )
        for i, t in enumerate(texts)
    ]


def group_of(groups, message_id):
    return next(g for g in groups if message_id in g.ids)


def test_it_groups_the_same_problem_at_the_same_place():
    msgs = messages_of(MIXER_LIFA, "m") + messages_of(OIL_LIFA, "o") + messages_of(MIXER_JINLU, "j")
    groups = find_hotspots(msgs + messages_of(OTHERS, "x"))
    mixer = group_of(groups, "m0")
    assert sorted(mixer.ids) == ["m0", "m1", "m2"]
    assert "丽发新城" in mixer.place
    assert mixer.size == 3 and mixer.residents == 3
    assert mixer.first == T0 and mixer.last == T0 + timedelta(days=2)
    assert mixer.title in {t.split("\n")[0] for t in MIXER_LIFA}


def test_it_keeps_another_problem_at_the_same_place_apart():
    groups = find_hotspots(
        messages_of(MIXER_LIFA, "m") + messages_of(OIL_LIFA, "o") + messages_of(OTHERS, "x")
    )
    assert sorted(group_of(groups, "o0").ids) == ["o0", "o1"]
    assert group_of(groups, "m0") is not group_of(groups, "o0")


def test_it_keeps_the_same_problem_at_another_place_apart():
    groups = find_hotspots(
        messages_of(MIXER_LIFA, "m") + messages_of(MIXER_JINLU, "j") + messages_of(OTHERS, "x")
    )
    assert sorted(group_of(groups, "j0").ids) == ["j0", "j1"]
    assert "金麓" in group_of(groups, "j0").place


def test_it_puts_every_message_in_exactly_one_group():
    msgs = messages_of(MIXER_LIFA + OIL_LIFA + OTHERS, "a")
    ids = [i for g in find_hotspots(msgs) for i in g.ids]
    assert sorted(ids) == sorted(m.id for m in msgs)
    assert find_hotspots([]) == []
    assert find_hotspots(msgs[:1])[0].ids == ["a0"]


def test_it_ranks_bigger_more_liked_growing_and_recent_groups_hotter():
    now = T0 + timedelta(days=100)
    recent = [now - timedelta(days=d) for d in (1, 2, 3)]
    assert heat_index(6, 6, 0, recent, now)[0] > heat_index(3, 3, 0, recent, now)[0]
    assert heat_index(3, 3, 50, recent, now)[0] > heat_index(3, 3, 0, recent, now)[0]
    assert heat_index(3, 3, 0, recent, now)[0] > heat_index(3, 1, 0, recent, now)[0]  # residents beat repeats
    old = [now - timedelta(days=d) for d in (91, 92, 93)]
    assert heat_index(3, 3, 0, recent, now)[0] > heat_index(3, 3, 0, old, now)[0]
    earlier = [now - timedelta(days=d) for d in (40, 50, 60)]
    assert heat_index(3, 3, 0, recent, now)[0] > heat_index(3, 3, 0, earlier, now)[0]  # growing vs fading


def test_it_orders_the_groups_by_heat():
    lifa = messages_of(MIXER_LIFA, "m", start=T0 + timedelta(days=60), likes=5)
    oil = messages_of(OIL_LIFA, "o", start=T0)
    groups = find_hotspots(lifa + oil + messages_of(OTHERS, "x", start=T0))
    assert groups[0].ids[0].startswith("m")
    assert [g.heat for g in groups] == sorted((g.heat for g in groups), reverse=True)


def test_it_round_trips_through_the_command_line(tmp_path):
    source = tmp_path / "in.csv"
    with open(source, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["no", "subject", "detail", "when", "votes"])
        for i, text in enumerate(MIXER_LIFA + OIL_LIFA + OTHERS):
            subject, detail = text.split("\n")
            writer.writerow([f"r{i}", subject, detail, f"2024/5/{i + 1} 10:00:00", i])
    out = tmp_path / "out.csv"
    code = main(
        ["hotspots", "--input", str(source), "--id", "no", "--text", "subject,detail", "--time", "when",
         "--likes", "votes", "--output", str(out)]
    )  # fmt: skip
    assert code == 0
    with open(out, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["id"] for r in rows] == [f"r{i}" for i in range(8)]
    assert set(rows[0]) == {"id", "group", "title", "place", "heat"}
    assert rows[0]["group"] == rows[1]["group"] == rows[2]["group"] != rows[3]["group"]
    assert rows[3]["group"] == rows[4]["group"]
    assert "丽发新城" in rows[0]["place"] and float(rows[0]["heat"]) > 0
