"""The research report (调研报告) as a Word document: the topic, its visits, the results of its
questionnaires with a chart per choice or rating question, its findings, and the measures
taken on them in the problem ledger.

Charts come from `grassroots.lib.charts` (drawn on the server, PNG); the layout is the
official-document one of `grassroots.lib.gongwen`.
"""

import re

from django.utils import timezone
from docx.shared import Cm

from grassroots.lib import charts, gongwen
from grassroots.lib.gongwen import chinese_date
from grassroots.surveys.models import Kind
from grassroots.surveys.results import summarize

from .models import officials_by_name

CHART_WIDTH = Cm(15)
TEXT_EXAMPLES = 3
EXAMPLE_MAX_CHARS = 120


def filename(topic, today=None) -> str:
    """调研报告-<课题>-<日期>.docx, without characters a file name may not hold."""
    today = today or timezone.localdate()
    title = re.sub(r'[\\/:*?"<>|\s]+', "", topic.title)[:40] or str(topic.pk)
    return f"调研报告-{title}-{today:%Y%m%d}.docx"


def _title(doc, topic, today):
    gongwen.title(doc, topic.title + ("报告" if topic.title.endswith("调研") else "调研报告"))
    gongwen.centred_line(doc, f"{topic.unit.full_name}　{chinese_date(today)}")
    gongwen.table(
        doc,
        ["项目", "内容"],
        [
            ("课题负责人", str(topic.owner)),
            ("调研周期", f"{chinese_date(topic.starts_on)}至{chinese_date(topic.ends_on)}"),
            ("课题状态", topic.get_status_display()),
        ],
        widths=[Cm(3.5), Cm(12)],
    )


def _visits(doc, visits):
    gongwen.heading(doc, f"二、调研走访（{len(visits)} 次）", level=1)
    if not visits:
        doc.add_paragraph("尚未记录调研走访。")
        return
    rows = []
    for v in visits:
        a = v.activity
        place = a.place.full_name + (f"（{a.address}）" if a.address else "")
        officials = "、".join(str(u) for u in a.officials.all())
        rows.append((chinese_date(a.date), place, officials, f"{a.title}：{a.summary}"))
    gongwen.table(
        doc, ["日期", "地点", "参加领导干部", "走访纪要"], rows, widths=[Cm(2.5), Cm(3.5), Cm(3), Cm(7)]
    )


def _question(doc, number, item):
    q = item["question"]
    gongwen.heading(doc, f"{number}. {q.text}", level=3)
    answered = item["answered"]
    if not answered:
        doc.add_paragraph(f"{q.get_kind_display()}，暂无作答。")
        return
    if item["bars"]:
        labels = [f"{b['label']} 分" if q.kind == Kind.RATING else b["label"] for b in item["bars"]]
        counts = [b["count"] for b in item["bars"]]
        png = charts.bar_chart(f"{number}. {q.text}", labels, counts, total=answered)
        gongwen.picture(doc, png, width=CHART_WIDTH)
        line = f"{q.get_kind_display()}，作答 {answered} 人。"
        if item["average"] is not None:
            line += f"平均分 {item['average']} 分。"
        doc.add_paragraph(line)
        return
    texts = [t.strip() for t in item["texts"] if t.strip()]
    doc.add_paragraph(f"{q.get_kind_display()}，共 {len(texts)} 条回答，摘录如下：")
    for text in list(dict.fromkeys(texts))[:TEXT_EXAMPLES]:  # distinct answers, in the order given
        short = text if len(text) <= EXAMPLE_MAX_CHARS else text[:EXAMPLE_MAX_CHARS] + "……"
        doc.add_paragraph(short, style="List Bullet")


def _questionnaires(doc, links):
    gongwen.heading(doc, f"三、问卷调查（{len(links)} 份问卷）", level=1)
    if not links:
        doc.add_paragraph("本课题未使用问卷。")
        return
    for link in links:
        q = link.questionnaire
        gongwen.heading(doc, q.title, level=2)
        responses = q.responses.count()
        paper = q.responses.filter(on_paper=True).count()
        opens, closes = timezone.localtime(q.opens_at), timezone.localtime(q.closes_at)
        doc.add_paragraph(
            f"填写时间{chinese_date(opens.date())}至{chinese_date(closes.date())}，共收到答卷 {responses} 份"
            f"（其中纸质问卷代录 {paper} 份）。"
        )
        if not responses:
            continue
        for number, item in enumerate(summarize(q), 1):
            _question(doc, number, item)


def _findings(doc, findings):
    gongwen.heading(doc, f"四、调研发现（{len(findings)} 条）", level=1)
    if not findings:
        doc.add_paragraph("尚未记录调研发现。")
        return
    for number, f in enumerate(findings, 1):
        p = doc.add_paragraph()
        p.add_run(f"{number}. 【{f.get_domain_display()}】").bold = True
        p.add_run(f.text)
        if f.measures:
            doc.add_paragraph(f"建议措施：{f.measures}")
        if f.problem_id:
            doc.add_paragraph(f"已列入问题清单（问题 {f.problem_id}，{f.problem.status_label}）。")


def _measures(doc, findings):
    gongwen.heading(doc, "五、整改措施", level=1)
    problems = [f.problem for f in findings if f.problem_id]
    if not problems:
        doc.add_paragraph("尚无列入问题清单的调研发现。")
        return
    rows = [
        (
            p.description,
            p.measures or "（尚未填写）",
            p.responsible_unit.name + (f"（{p.responsible_leader}）" if p.responsible_leader_id else ""),
            chinese_date(p.deadline),
            f"{p.progress}%",
            p.status_label,
        )
        for p in problems
    ]
    gongwen.table(
        doc,
        ["问题", "整改措施", "责任单位", "整改时限", "进展", "状态"],
        rows,
        widths=[Cm(3.5), Cm(4.5), Cm(2.5), Cm(2), Cm(1.3), Cm(1.7)],
    )


def build(topic, today=None) -> bytes:
    today = today or timezone.localdate()
    visits = list(
        topic.visits.select_related("activity__place")
        .prefetch_related(officials_by_name())
        .order_by("activity__date", "pk")
    )
    links = list(topic.questionnaires.select_related("questionnaire"))
    findings = list(topic.findings.select_related("problem__responsible_unit", "problem__responsible_leader"))
    doc = gongwen.new_document()
    doc.core_properties.title = f"调研报告：{topic.title}"
    doc.core_properties.author = str(topic.owner)
    _title(doc, topic, today)
    gongwen.heading(doc, "一、调研内容与目的", level=1)
    doc.add_paragraph(topic.description or "（未填写）")
    _visits(doc, visits)
    _questionnaires(doc, links)
    _findings(doc, findings)
    _measures(doc, findings)
    return gongwen.to_bytes(doc)
