import csv
import sys
from datetime import date

import pytest

from grassroots.lib.workdays import WorkCalendar
from textcore.__main__ import main
from textcore.replies import ReplyScorer, detect_parts, parse_time, score_reply, timeliness_days

QUESTION = (
    "幸福小区物业公司乱收停车费\n幸福小区物业公司从三月起每月加收停车费二百元，业主没有同意，请求查处。"
)

FULL_REPLY = (
    "网友您好！您的留言已收悉。经调查，幸福小区物业公司未经业主大会同意加收停车费的情况属实。"
    "根据《物业管理条例》第四十四条的规定，我局已责令该物业公司停止收取停车费，"
    "并于2019年5月20日前退还已收费用。如有疑问，请联系市住房和城乡建设局物业科，联系电话：0731-88886666。"
)


def test_it_finds_every_completeness_part_of_a_full_reply():
    parts = detect_parts(FULL_REPLY)

    assert all(parts.values()), parts
    assert parts["basis"] == "《物业管理条例》"
    assert parts["party"] in {"幸福小区物业公司", "市住房和城乡建设局"}
    assert score_reply(QUESTION, FULL_REPLY).completeness == 1.0


def test_it_reports_each_part_missing_when_absent():
    cases = {
        "measure": "市住房和城乡建设局答复：该收费标准有效期至5月20日前，根据《物业管理条例》确定，"
        "联系电话：0731-88886666。",
        "party": "我们已责令停止收费，并于2019年5月20日前退还，依据《物业管理条例》，"
        "联系电话：0731-88886666。",
        "time": "市住房和城乡建设局已责令物业公司停止收费，依据《物业管理条例》，联系电话：0731-88886666。",
        "basis": "市住房和城乡建设局已责令物业公司于5月20日前停止收费，联系电话：0731-88886666。",
        "contact": "市住房和城乡建设局已责令物业公司于5月20日前停止收费，依据《物业管理条例》第四十四条。",
    }
    for missing, reply in cases.items():
        parts = detect_parts(reply)
        assert parts[missing] is None, (missing, parts)
        assert all(found for name, found in parts.items() if name != missing), (missing, parts)
        score = score_reply(QUESTION, reply)
        assert score.completeness < 1.0
        assert "缺少" in score.explanation


def test_it_does_not_count_the_signature_date_the_platform_name_or_a_vague_basis():
    reply = "您好，您在《问政西地省》的留言收悉，已按有关规定转相关部门。感谢您的支持！2019年5月9日"

    parts = detect_parts(reply)

    assert parts["time"] is None
    assert parts["basis"] is None
    assert parts["party"] is None
    assert parts["measure"] is None


def test_it_scores_an_off_topic_reply_low_on_relevance():
    on_topic = score_reply(QUESTION, FULL_REPLY)
    off_topic = score_reply(
        QUESTION,
        "网友您好！关于学校食堂饭菜价格的问题，教育局已要求各中小学每月公示伙食费收支明细，"
        "学生家长可以到学校查阅食谱和账目，今后将定期检查食品安全。",
    )

    assert on_topic.relevance >= 0.8
    assert off_topic.relevance <= 0.3
    assert "物业" in on_topic.explanation


def test_it_gives_no_relevance_to_a_boilerplate_or_forward_only_reply():
    boilerplate = score_reply(QUESTION, "网友您好！您的留言已收悉。感谢您对我们工作的关心和支持！")
    forwarded = score_reply(
        QUESTION, "您好！您反映的问题已转市住建局核查、办复，感谢您的留言，祝您事事顺心。"
    )

    assert boilerplate.relevance == 0.0
    assert forwarded.relevance <= 0.1
    assert "转办" in forwarded.explanation


def test_it_counts_working_days_over_a_weekend():
    # Friday 2019-04-26 to Monday 2019-04-29: only the Monday is a working day
    assert timeliness_days("2019/4/26 9:32:09", "2019/4/29 10:00:00") == 1
    assert timeliness_days("2019/4/25 9:32:09", "2019/5/10 14:56:53") == 11
    assert timeliness_days("2019/4/25 9:32:09", None) is None
    assert score_reply(QUESTION, FULL_REPLY).timeliness_days is None


def test_it_skips_holidays_and_counts_makeup_days_of_a_given_calendar():
    may_day = WorkCalendar(
        holidays=frozenset(date(2019, 5, d) for d in range(1, 5)),
        makeup_workdays=frozenset({date(2019, 4, 28), date(2019, 5, 5)}),
        known_until=date(2019, 12, 31),
    )
    # Fri 4-26 -> Mon 5-6: Sun 4-28 worked, Mon 4-29, Tue 4-30, 5-1..5-4 off, Sun 5-5 worked, Mon 5-6
    assert timeliness_days("2019/4/26 9:00:00", "2019/5/6 9:00:00", may_day) == 5
    assert timeliness_days("2019/4/26 9:00:00", "2019/5/6 9:00:00") == 6

    score = score_reply(QUESTION, FULL_REPLY, "2019/4/26 9:00:00", date(2019, 5, 6), calendar=may_day)
    assert score.timeliness_days == 5
    assert "5个工作日" in score.explanation


def test_it_reads_the_usual_time_formats():
    assert parse_time("2019/4/25 9:32:09") == date(2019, 4, 25)
    assert parse_time("2019-04-25") == date(2019, 4, 25)
    assert parse_time("2019年4月25日") == date(2019, 4, 25)
    assert parse_time("不详") is None


def test_it_round_trips_through_the_command_line(tmp_path, monkeypatch):
    source = tmp_path / "in.csv"
    with open(source, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "subject", "detail", "reply", "time", "reply_time"])
        subject, detail = QUESTION.split("\n")
        writer.writerow(["1", subject, detail, FULL_REPLY, "2019/4/26 9:32:09", "2019/4/29 10:00:00"])
        writer.writerow(["2", subject, detail, "留言已收悉，谢谢。", "", ""])
    out = tmp_path / "out.csv"
    monkeypatch.setattr(sys, "argv", ["textcore"])

    code = main(
        [
            "replies", "--input", str(source), "--text", "subject,detail", "--reply", "reply",
            "--time", "time", "--reply-time", "reply_time", "--output", str(out),
        ]
    )  # fmt: skip

    assert code == 0
    with open(out, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["id"] for r in rows] == ["1", "2"]
    assert rows[0]["subject"] == "幸福小区物业公司乱收停车费"
    assert float(rows[0]["completeness"]) == 1.0
    assert float(rows[0]["relevance"]) >= 0.8
    assert rows[0]["timeliness_days"] == "1"
    assert rows[1]["timeliness_days"] == ""
    assert float(rows[1]["overall"]) < float(rows[0]["overall"])
    assert "相关性" in rows[0]["explanation"] and "完整性" in rows[0]["explanation"]


def test_it_fits_idf_on_a_corpus_and_reloads_it_or_none(tmp_path):
    corpus = [QUESTION, "幸福小区门口路灯坏了，请求维修", "学校门口交通拥堵，请求增设红绿灯"] * 3
    scorer = ReplyScorer().fit(corpus)
    path = tmp_path / "replies.model"

    scorer.save(path)
    loaded = ReplyScorer.load(path)

    assert loaded is not None and loaded.n_docs_ == 9
    assert loaded.score(QUESTION, FULL_REPLY).relevance == scorer.score(QUESTION, FULL_REPLY).relevance
    assert ReplyScorer.load(tmp_path / "missing.model") is None


@pytest.mark.parametrize(
    "reply", ["已处理。", "已处理完毕。", "我们将尽快处理。", "已妥善解决。", "已落实。"]
)
def test_a_reply_that_only_says_it_was_handled_has_no_concrete_measure(reply):
    assert detect_parts(reply)["measure"] is None


@pytest.mark.parametrize(
    ("reply", "party"),
    [
        ("经查，3月5日安排镇村建办人员到现场查看。", "镇村建办"),
        ("已将您反映的问题转交市城管局处理。", "市城管局"),
        ("县城市管理综合执法局已组织清理。", "县城市管理综合执法局"),
    ],
)
def test_the_responsible_unit_starts_after_the_date_or_the_verb_that_hands_the_work_over(reply, party):
    assert detect_parts(reply)["party"] == party
