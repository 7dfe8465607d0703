import csv

from textcore.__main__ import main
from textcore.dedupe import DuplicateIndex

PARKING = (
    "投诉A1区某某小区物业违规收取停车费\n"
    "尊敬的领导：A1区某某小区位于火炬路，小区物业公司未经业主同意，利用业主的公摊面积向业主收取停车费用。"
    "收费后车辆在小区内受到损坏，物业拒不承担责任。业主多次向物业和社区反映，物业置之不理。"
    "请相关部门尽快调查处理，还业主一个公道。"
)
NOISE = (
    "K5县步步高周边商铺音响噪声严重扰民\n"
    "K5县步步高周边的商铺门店为了吸引顾客，整天播放音响，噪声震耳欲聋，周边住户苦不堪言。"
    "夜间噪声明显超过国家标准，严重影响老人和孩子休息，请城管和环保部门依法查处。"
)
SCHOOL = (
    "咨询国家二级运动员证报考大学的政策\n"
    "我家孩子获得了国家二级运动员证，想咨询这个证书有没有期限限制，在报考大学时有没有相关的加分政策，"
    "以后报考公务员时是否有优待，谢谢。"
)
UNRELATED = "请问E市图书馆周末开放时间是几点到几点？是否需要提前预约，带孩子去需要办理借书证吗？"


def _index() -> DuplicateIndex:
    index = DuplicateIndex()
    index.add_many([10, 20, 30], [PARKING, NOISE, SCHOOL])
    return index


def _best(index: DuplicateIndex, text: str):
    found = index.query(text, k=3)
    return found[0] if found else None


def test_it_finds_an_exact_duplicate_and_nothing_for_an_unrelated_text():
    index = _index()
    doc_id, score, kind = _best(index, PARKING)
    assert (doc_id, kind) == (10, "duplicate") and score > 0.95
    assert index.query(UNRELATED) == []


def test_it_finds_edited_truncated_and_extended_copies():
    index = _index()
    edited = PARKING.replace("，", "。").replace("尽快", "马上").replace("公道", "说法")
    truncated = NOISE[: int(len(NOISE) * 0.7)]
    extended = SCHOOL.replace("谢谢。", "我们已经打电话问过学校，但老师说不清楚。谢谢。")
    assert _best(index, edited)[::2] == (10, "duplicate")
    assert _best(index, truncated)[::2] == (20, "duplicate")
    assert _best(index, extended)[::2] == (30, "duplicate")


def test_it_scores_between_zero_and_one_and_ranks_best_first():
    index = _index()
    index.add(40, PARKING[:60])
    found = index.query(PARKING, k=5)
    assert [f[0] for f in found][:1] == [10]
    assert all(0.0 <= score <= 1.0 for _, score, _ in found)
    assert [s for _, s, _ in found] == sorted((s for _, s, _ in found), reverse=True)


def test_it_finds_a_text_added_one_at_a_time():
    index = DuplicateIndex()
    assert index.query(PARKING) == []
    for doc_id, text in enumerate([NOISE, SCHOOL, UNRELATED]):
        index.add(doc_id, text)
    assert len(index) == 3 and _best(index, PARKING) is None
    index.add(99, PARKING)
    assert _best(index, PARKING)[0] == 99


def test_it_grows_past_its_first_capacity():
    index = DuplicateIndex()
    fillers = [f"第{i}号通知：{i * 7919 % 10007}路公交车调整线路，途经{i}个站点。" for i in range(3000)]
    index.add_many(list(range(3000)), fillers)
    index.add(5000, NOISE)
    assert _best(index, NOISE)[0] == 5000
    assert _best(index, fillers[1234])[0] == 1234


def test_it_saves_and_loads_the_index(tmp_path):
    path = tmp_path / "dedupe.bin"
    _index().save(path)
    loaded = DuplicateIndex.load(path)
    assert len(loaded) == 3
    assert _best(loaded, NOISE)[0] == 20
    path.write_bytes(b"broken")
    assert DuplicateIndex.load(path) is None
    assert DuplicateIndex.load(tmp_path / "missing.bin") is None


def test_it_writes_one_row_per_duplicate_from_the_command_line(tmp_path):
    source, output = tmp_path / "in.csv", tmp_path / "out.csv"
    rows = [("a1", *PARKING.split("\n")), ("a2", *NOISE.split("\n")), ("a3", "", UNRELATED)]
    rows.append(("a4", "物业乱收停车费", PARKING.split("\n")[1][:-10]))
    with open(source, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([("id", "subject", "detail"), *rows])
    assert (
        main(
            [
                "duplicates",
                "--input",
                str(source),
                "--id",
                "id",
                "--text",
                "subject,detail",
                "--output",
                str(output),
            ]
        )
        == 0
    )
    with open(output, encoding="utf-8") as f:
        found = list(csv.DictReader(f))
    assert [(r["id"], r["duplicate_of"]) for r in found] == [("a4", "a1")]
    assert 0.0 < float(found[0]["score"]) <= 1.0
