import csv

from textcore.__main__ import main
from textcore.sentiment import analyze_sentiment, classify_sentiment


def test_it_recognises_clear_satisfaction():
    for comment in ("很满意，问题当天就解决了", "谢谢社区，路灯已经修好", "处理及时，点赞", "不错"):
        label, confidence = classify_sentiment(comment)
        assert label == "satisfied", comment
        assert 0.5 < confidence <= 1.0


def test_it_recognises_clear_dissatisfaction():
    for comment in ("敷衍了事", "部门之间相互推诿", "答非所问", "最后不了了之", "打了几次电话都没人管"):
        assert classify_sentiment(comment)[0] == "dissatisfied", comment


def test_it_flips_a_negated_positive_word():
    assert classify_sentiment("不满意")[0] == "dissatisfied"
    assert classify_sentiment("问题没有解决")[0] == "dissatisfied"
    assert classify_sentiment("未解决")[0] == "dissatisfied"
    assert classify_sentiment("我不认可这个答复")[0] == "dissatisfied"
    assert "否定+解决" in analyze_sentiment("没有解决").cues


def test_it_weighs_degree_words():
    assert (
        analyze_sentiment("非常满意").score
        > analyze_sentiment("满意").score
        > analyze_sentiment("基本满意").score
    )
    assert classify_sentiment("基本满意")[0] == "satisfied"
    assert classify_sentiment("很满意")[1] > classify_sentiment("满意")[1]


def test_it_lets_the_clause_after_but_decide():
    assert classify_sentiment("工作人员态度还可以，但问题一点没解决")[0] == "dissatisfied"
    assert classify_sentiment("谢谢你们，但是没用")[0] == "dissatisfied"


def test_it_does_not_take_wishes_or_promises_for_satisfaction():
    assert classify_sentiment("希望能尽快解决")[0] == "neutral"
    assert classify_sentiment("说好的月底修好，到现在还没动静")[0] == "dissatisfied"


def test_it_calls_plain_acknowledgements_neutral():
    for comment in ("收到", "已阅", "一般", "请问什么时候开始施工？", ""):
        label, confidence = classify_sentiment(comment)
        assert label == "neutral", comment
        assert 0.0 < confidence < 1.0


def test_it_scores_a_file_from_the_command_line(tmp_path):
    source = tmp_path / "comments.csv"
    source.write_text("id,comment\n1,很满意\n2,没有解决\n3,收到\n", encoding="utf-8")
    out = tmp_path / "out.csv"

    assert main(["sentiment", "--input", str(source), "--text", "comment", "--output", str(out)]) == 0

    with open(out, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["sentiment"] for r in rows] == ["satisfied", "dissatisfied", "neutral"]
    assert all(0 < float(r["confidence"]) <= 1 for r in rows)
