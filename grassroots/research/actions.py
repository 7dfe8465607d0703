"""Every change to research topics, one function each.

Each action is atomic and writes a line on the topic's timeline. Changes to the topic itself
claim it by its version (two people editing at once: one wins, the other is told); additions
(visits, questionnaires, findings) lock the topic row instead, so they never refuse each other
but never land on a topic that was just concluded. A finding goes on the ledger once: the
claim only succeeds while the finding has no problem. Callers check permissions first
(`access.require`); actions check the state and the data.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from grassroots.activities.models import DURATION_MAX_MINUTES, SUMMARY_MAX_CHARS, Activity, Kind
from grassroots.ledger import actions as ledger_actions
from grassroots.ledger.models import Domain, Source
from grassroots.lib.actions import STALE, ActionError, Conflict, claim, require_text
from grassroots.surveys import actions as survey_actions

from .models import (
    DESCRIPTION_MAX,
    FINDING_MAX_CHARS,
    TITLE_MAX_CHARS,
    EventKind,
    Finding,
    ResearchTopic,
    ResearchVisit,
    Status,
    TopicEvent,
    TopicQuestionnaire,
)

ADDRESS_MAX_CHARS = 200


def _event(topic, kind, actor, note=""):
    return TopicEvent.objects.create(topic=topic, kind=kind, actor=actor, note=(note or "").strip())


def _claim(topic: ResearchTopic, expected_version) -> ResearchTopic:
    """Take the topic for this change, or raise Conflict if it changed meanwhile."""
    return claim(
        topic,
        expected_version,
        fetch=ResearchTopic.objects.select_related("unit", "owner"),
        refused=lambda fresh: Conflict(
            f"这个课题已被他人更新，当前状态为「{fresh.get_status_display()}」。"
            "您的操作未执行，请查看最新情况后再决定。"
        ),
    )


def _lock(topic: ResearchTopic) -> ResearchTopic:
    return ResearchTopic.objects.select_for_update().select_related("unit", "owner").get(pk=topic.pk)


def _require_active(topic, what):
    if topic.status != Status.ACTIVE:
        raise ActionError(f"该课题已结题，不能再{what}。如需补充，请先恢复进行。")


def _period(starts_on: date | None, ends_on: date | None):
    if starts_on is None or ends_on is None:
        raise ActionError("请填写课题周期的开始日期和结束日期。")
    if ends_on < starts_on:
        raise ActionError("结束日期不能早于开始日期。")


def _topic_fields(title, description, unit, owner, starts_on, ends_on) -> dict:
    if unit is None:
        raise ActionError("请选择牵头单位。")
    if owner is None:
        raise ActionError("请选择课题负责人。")
    _period(starts_on, ends_on)
    return {
        "title": require_text(title, "课题名称", TITLE_MAX_CHARS),
        "description": require_text(description, "调研内容与目的", DESCRIPTION_MAX, required=False),
        "unit": unit,
        "owner": owner,
        "starts_on": starts_on,
        "ends_on": ends_on,
    }


# --- the topic -------------------------------------------------------------------------------


@transaction.atomic
def create_topic(
    *, actor, title, unit, owner, starts_on, ends_on, description="", submission_token=None
) -> ResearchTopic:
    """立项. With a `submission_token` a repeated submit returns the first topic."""
    if submission_token:
        existing = ResearchTopic.objects.filter(submission_token=submission_token).first()
        if existing:
            return existing
    fields = _topic_fields(title, description, unit, owner, starts_on, ends_on)
    topic = ResearchTopic(submission_token=submission_token or None, created_by=actor, **fields)
    try:
        with transaction.atomic():
            topic.save()
    except IntegrityError:
        existing = ResearchTopic.objects.filter(submission_token=submission_token).first()
        if submission_token and existing:  # the other click won the race
            return existing
        raise
    _event(topic, EventKind.CREATE, actor, f"课题负责人：{owner}；周期：{starts_on} 至 {ends_on}")
    return topic


@transaction.atomic
def edit_topic(
    topic, actor, *, version, title, unit, owner, starts_on, ends_on, description=""
) -> ResearchTopic:
    topic = _claim(topic, version)
    _require_active(topic, "修改")
    fields = _topic_fields(title, description, unit, owner, starts_on, ends_on)
    outside = topic.visits.exclude(activity__date__range=(starts_on, ends_on)).select_related("activity")
    first = outside.order_by("activity__date").first()
    if first is not None:
        raise ActionError(f"已有 {first.activity.date:%Y-%m-%d} 的调研走访，课题周期须包含所有走访日期。")
    changed = []
    for name, value in fields.items():
        if getattr(topic, name) != value:
            setattr(topic, name, value)
            changed.append(str(ResearchTopic._meta.get_field(name).verbose_name))
    if not changed:
        raise ActionError("没有修改任何内容。")
    topic.save()
    _event(topic, EventKind.EDIT, actor, "修改了：" + "、".join(changed))
    return topic


@transaction.atomic
def conclude(topic, actor, *, version) -> ResearchTopic:
    """结题: no more visits, questionnaires or findings; the report stays available."""
    topic = _claim(topic, version)
    if topic.status != Status.ACTIVE:
        raise ActionError("该课题已结题。")
    topic.status = Status.CONCLUDED
    topic.save(update_fields=["status", "version", "updated_at"])
    _event(topic, EventKind.CONCLUDE, actor)
    return topic


@transaction.atomic
def reopen(topic, actor, *, version) -> ResearchTopic:
    topic = _claim(topic, version)
    if topic.status != Status.CONCLUDED:
        raise ActionError("该课题正在进行中，无需恢复。")
    topic.status = Status.ACTIVE
    topic.save(update_fields=["status", "version", "updated_at"])
    _event(topic, EventKind.REOPEN, actor)
    return topic


# --- visits ----------------------------------------------------------------------------------


def _visit_fields(topic, *, title, place, address, date, duration_minutes, officials, summary) -> dict:
    if place is None:
        raise ActionError("请选择调研地点。")
    if date is None:
        raise ActionError("请填写调研日期。")
    if not topic.starts_on <= date <= topic.ends_on:
        raise ActionError(
            f"调研日期须在课题周期内（{topic.starts_on:%Y-%m-%d} 至 {topic.ends_on:%Y-%m-%d}）。"
        )
    if date > timezone.localdate():
        raise ActionError("调研日期不能晚于今天：走访结束后再记录。")
    if duration_minutes is None or not 1 <= int(duration_minutes) <= DURATION_MAX_MINUTES:
        raise ActionError(f"调研时长应为 1 至 {DURATION_MAX_MINUTES} 分钟。")
    if not officials:
        raise ActionError("请选择参加调研的领导干部。")
    return {
        "title": require_text(title, "走访主题", TITLE_MAX_CHARS),
        "place": place,
        "address": require_text(address, "详细地址", ADDRESS_MAX_CHARS, required=False),
        "date": date,
        "duration_minutes": int(duration_minutes),
        "summary": require_text(summary, "走访纪要", SUMMARY_MAX_CHARS),
    }


@transaction.atomic
def add_visit(topic, actor, *, officials, submission_token=None, **fields) -> ResearchVisit:
    """记录调研走访: the visit is a grassroots activity of kind 调研 organised by the topic's unit."""
    topic = _lock(topic)  # a second click waits here, then finds the first click's visit
    if submission_token:
        existing = ResearchVisit.objects.filter(activity__submission_token=submission_token).first()
        if existing:
            return existing
    _require_active(topic, "记录调研走访")
    fields = _visit_fields(topic, officials=officials, **fields)
    activity = Activity.objects.create(
        kind=Kind.RESEARCH,
        unit=topic.unit,
        created_by=actor,
        submission_token=submission_token or None,
        **fields,
    )
    activity.officials.set(officials)
    visit = ResearchVisit.objects.create(topic=topic, activity=activity)
    _event(topic, EventKind.VISIT, actor, f"{activity.date:%Y-%m-%d} {activity.place.name}：{activity.title}")
    return visit


# --- questionnaires --------------------------------------------------------------------------


@transaction.atomic
def attach_questionnaire(topic, actor, questionnaire) -> TopicQuestionnaire:
    """关联已有问卷. The caller offers only questionnaires the actor may see."""
    topic = _lock(topic)
    _require_active(topic, "关联问卷")
    if topic.questionnaires.filter(questionnaire=questionnaire).exists():
        raise ActionError(f"问卷「{questionnaire.title}」已关联到本课题。")
    link = TopicQuestionnaire.objects.create(topic=topic, questionnaire=questionnaire, attached_by=actor)
    _event(topic, EventKind.QUESTIONNAIRE, actor, f"关联问卷「{questionnaire.title}」")
    return link


@transaction.atomic
def create_questionnaire(topic, actor, *, submission_token=None, **fields) -> TopicQuestionnaire:
    """新建问卷并关联: a draft questionnaire the user then builds in the questionnaire pages."""
    topic = _lock(topic)  # a second click waits here, then finds the first click's questionnaire
    if submission_token:
        existing = TopicQuestionnaire.objects.filter(submission_token=submission_token).first()
        if existing:
            return existing
    _require_active(topic, "关联问卷")
    questionnaire = survey_actions.create(actor=actor, **fields)
    link = TopicQuestionnaire.objects.create(
        topic=topic, questionnaire=questionnaire, attached_by=actor, submission_token=submission_token or None
    )
    _event(topic, EventKind.QUESTIONNAIRE, actor, f"新建问卷「{questionnaire.title}」")
    return link


# --- findings --------------------------------------------------------------------------------


@transaction.atomic
def add_finding(topic, actor, *, text, domain, measures="", submission_token=None) -> Finding:
    topic = _lock(topic)  # a second click waits here, then finds the first click's finding
    if submission_token:
        existing = Finding.objects.filter(submission_token=submission_token).first()
        if existing:
            return existing
    _require_active(topic, "记录调研发现")
    if domain not in Domain.values:
        raise ActionError("请选择问题所属领域。")
    finding = Finding.objects.create(
        topic=topic,
        text=require_text(text, "发现的问题", FINDING_MAX_CHARS),
        domain=domain,
        measures=require_text(measures, "建议措施", FINDING_MAX_CHARS, required=False),
        created_by=actor,
        submission_token=submission_token or None,
    )
    _event(topic, EventKind.FINDING, actor, finding.text[:100])
    return finding


def _finding_taken(fresh: Finding) -> ActionError:
    if fresh.problem_id is not None:
        return ActionError(f"这条发现已列入问题清单（问题 {fresh.problem_id}），未重复列入。")
    return Conflict("这条发现已被他人更新，您的操作未执行，请查看最新情况后再决定。")


def _claim_finding(finding: Finding, expected_version) -> Finding:
    """Take a finding not yet on the ledger; of two clicks, the second is told where it went."""
    if expected_version is None:
        raise Conflict(STALE)
    return claim(
        finding,
        expected_version,
        fetch=Finding.objects.select_related("topic"),
        only_if={"problem__isnull": True},
        refused=_finding_taken,
    )


@transaction.atomic
def put_on_ledger(
    finding,
    actor,
    *,
    version,
    responsible_unit,
    deadline,
    responsible_leader=None,
    place=None,
    measures="",
):
    """列入问题清单: the finding becomes a ledger problem (source 调研发现), once."""
    finding = _claim_finding(finding, version)
    problem = ledger_actions.create(
        actor=actor,
        source=Source.RESEARCH,
        domain=finding.domain,
        place=place,
        description=finding.text,
        measures=measures,
        responsible_unit=responsible_unit,
        responsible_leader=responsible_leader,
        deadline=deadline,
    )
    finding.problem = problem
    finding.save(update_fields=["problem", "version"])
    duty = f"责任单位：{responsible_unit.name}，整改时限：{deadline:%Y-%m-%d}"
    _event(finding.topic, EventKind.LEDGER, actor, f"问题 {problem.pk}：{finding.text[:60]}（{duty}）")
    return problem
