import pytest

from textcore.places import Gazetteer, extract_places


def names(text, gazetteer=None):
    return [p.name for p in extract_places(text, gazetteer).places]


def test_it_reads_the_masked_administrative_names_of_the_data():
    result = extract_places("A市A3区西湖街道茶场村的道路问题")
    kinds = {p.name: p.kind for p in result.places}
    assert kinds == {"A市": "city", "A3区": "district", "西湖街道": "town", "茶场村": "village"}
    assert extract_places("K9县春华镇").most_specific.name == "春华镇"


def test_it_reads_roads_compounds_and_schools_without_the_words_before_them():
    result = extract_places("我家住在和平路阳光小区，孩子在向家坡小学上学")
    assert names("我家住在和平路阳光小区，孩子在向家坡小学上学") == ["和平路", "阳光小区", "向家坡小学"]
    assert [p.kind for p in result.places] == ["road", "compound", "school"]
    assert result.most_specific.level > result.places[0].level


def test_it_prefers_the_finest_place_said_most_often():
    result = extract_places("A2区芙蓉路旁的丽发新城小区，丽发新城小区的垃圾站，隔壁是东塘小学")
    assert result.most_specific.name == "丽发新城小区"


def test_it_ignores_common_words_that_end_like_places():
    assert names("道路太窄，小区里面很吵，去县城的公路也坏了") == []
    assert extract_places("没有地点").most_specific is None


def test_it_uses_the_gazetteer_first_and_its_longest_name():
    text = "星沙街道办事处门口的路灯坏了"
    assert names(text) == ["星沙街道"]
    gazetteer = Gazetteer(["星沙", "星沙街道办事处"])
    result = extract_places(text, gazetteer)
    assert [p.name for p in result.places] == ["星沙街道办事处"]
    assert result.most_specific.name == "星沙街道办事处"


def test_it_tells_a_gazetteer_name_kind_from_its_suffix_or_calls_it_a_unit():
    found = Gazetteer(["芙蓉中路", "城管执法大队"]).find("芙蓉中路上城管执法大队来了")
    assert [(p.name, p.kind) for p in found] == [("芙蓉中路", "road"), ("城管执法大队", "unit")]


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("江澄城房地产开发有限公司拖欠农民工工资", []),
        ("A市江澄城置业有限公司交房延期", ["A市"]),
        ("万科城集团的售楼处虚假宣传", []),
        ("丽发新城小区物业公司乱收停车费", ["丽发新城小区"]),  # the compound's own property company
        ("丽发新城物业不作为", ["丽发新城"]),
    ],
)
def test_a_place_is_never_the_start_of_an_organisations_name(text, places):
    assert [p.name for p in extract_places(text).places] == places
