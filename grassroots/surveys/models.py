"""Generic questionnaires (like Decidim's forms): questions, responses and answers.

A questionnaire is answered on a public link; staff may enter paper answers for residents.
Once any response exists its questions are locked, so the results always mean one thing.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TEXT_MAX_CHARS = 2000


class Purpose(models.TextChoices):
    RESEARCH = "research", _("调研")
    OUTREACH = "outreach", _("宣讲回访")
    SATISFACTION = "satisfaction", _("政策满意度")


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    OPEN = "open", _("开放填写")
    CLOSED = "closed", _("已关闭")


class Kind(models.TextChoices):
    SINGLE = "single", _("单选题")
    MULTIPLE = "multiple", _("多选题")
    RATING = "rating", _("评分题（1–5 分）")
    SHORT_TEXT = "short_text", _("简答题")
    LONG_TEXT = "long_text", _("问答题")


CHOICE_KINDS = {Kind.SINGLE, Kind.MULTIPLE}


class Questionnaire(models.Model):
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("说明"), blank=True)
    owner_unit = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.CharField(_("用途"), max_length=16, choices=Purpose.choices, default=Purpose.RESEARCH)
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    ask_phone = models.BooleanField(
        _("要求填写手机号"), default=False, help_text=_("每个手机号只能提交一次；系统只保存其加密摘要。")
    )
    public_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("问卷")
        verbose_name_plural = _("问卷")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def is_locked(self) -> bool:
        return self.responses.exists()

    def refusal(self, now=None) -> str:
        """Why the public may not answer now ("" when they may)."""
        now = now or timezone.now()
        if self.status == Status.DRAFT:
            return _("该问卷尚未发布。")
        if self.status == Status.CLOSED:
            return _("该问卷已关闭，感谢您的关注。")
        local = timezone.localtime
        if now < self.opens_at:
            return _("该问卷将于 %(t)s 开始填写，请届时再来。") % {
                "t": local(self.opens_at).strftime("%Y-%m-%d %H:%M")
            }
        if now >= self.closes_at:
            return _("该问卷已于 %(t)s 截止，感谢您的关注。") % {
                "t": local(self.closes_at).strftime("%Y-%m-%d %H:%M")
            }
        return ""


class Question(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    text = models.CharField(_("题目"), max_length=500)
    kind = models.CharField(_("题型"), max_length=12, choices=Kind.choices)
    required = models.BooleanField(_("必答"), default=True)
    options = models.JSONField(_("选项"), default=list, blank=True)
    max_choices = models.PositiveSmallIntegerField(_("最多可选"), null=True, blank=True)
    depends_on = models.ForeignKey(
        "self",
        verbose_name=_("显示条件：前面的题目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dependents",
    )
    depends_option = models.CharField(_("显示条件：选了此项"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("题目")
        verbose_name_plural = _("题目")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text

    @property
    def is_choice(self):
        return self.kind in CHOICE_KINDS


class Response(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="responses")
    submitted_at = models.DateTimeField(default=timezone.now)
    on_paper = models.BooleanField(_("纸质问卷代录"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    phone_hash = models.CharField(max_length=64, blank=True, default="")
    submission_token = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "phone_hash"],
                condition=~models.Q(phone_hash=""),
                name="one_response_per_phone",
            )
        ]


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    choices = models.JSONField(default=list, blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question"),
        ]

    def display(self) -> str:
        if self.question.is_choice:
            return "；".join(self.choices)
        if self.rating is not None:
            return str(self.rating)
        return self.text
