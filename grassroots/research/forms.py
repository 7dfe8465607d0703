"""Forms of the research pages. They validate input and offer only what the user may choose
(units, people, questionnaires in their scope); the actions check the rest."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.accounts.access import units_in_scope
from grassroots.accounts.models import Membership, OrgUnit, Role, User
from grassroots.activities.models import DURATION_MAX_MINUTES, SUMMARY_MAX_CHARS
from grassroots.ledger.access import keeping_units
from grassroots.ledger.forms import leader_choices
from grassroots.ledger.models import DESCRIPTION_MAX_CHARS, Domain
from grassroots.lib.fields import InstanceChoiceField, TextField, UnitField
from grassroots.surveys.access import visible_questionnaires
from grassroots.surveys.forms import QuestionnaireForm
from grassroots.surveys.models import Purpose

from .access import creating_units
from .models import DESCRIPTION_MAX, FINDING_MAX_CHARS, TITLE_MAX_CHARS

SENIORITY = {Role.LEADER: 0, Role.UNIT_HEAD: 1, Role.SUPERVISOR: 2}


def labelled_people(people):
    """People in a select, leaders first, each with their post: "何帆（青禾县·领导干部）"."""
    people = {p.pk: p for p in people if p is not None}
    posts = {}
    for m in Membership.objects.filter(user__in=list(people)).select_related("unit"):
        rank = (SENIORITY.get(m.role, 9), m.unit.path)
        if m.user_id not in posts or rank < posts[m.user_id][0]:
            posts[m.user_id] = (rank, m)
    ordered = sorted(people.values(), key=lambda p: (posts[p.pk][0] if p.pk in posts else (9, ""), str(p)))
    labels = {}
    for p in ordered:
        m = posts.get(p.pk, (None, None))[1]
        labels[p.pk] = f"{p}（{m.unit.name}·{m.get_role_display()}）" if m else str(p)
    return ordered, labels


def people_in_scope(user, *extra):
    """People with a post in the user's subtree, plus `extra` people (the user, a current owner)."""
    people = list(User.objects.filter(memberships__unit__in=units_in_scope(user)).distinct())
    return labelled_people([*people, *extra])


def official_choices(user, topic):
    """People who may be named on a visit: anyone posted in the user's scope or under the topic's
    unit, and the leaders above the topic's unit (a county leader joins a township's visit)."""
    above = [int(x) for x in topic.unit.path.strip("/").split("/")[:-1]]
    posted = (
        Q(memberships__unit__in=units_in_scope(user))
        | Q(memberships__unit__path__startswith=topic.unit.path)
        | Q(memberships__unit__in=above, memberships__role=Role.LEADER)
    )
    return labelled_people([*User.objects.filter(posted).distinct(), user, topic.owner])


def _date_widget():
    return forms.DateInput(attrs={"type": "date"})


class TokenForm(forms.Form):
    """A form with a one-time token, so a double-clicked submit makes one record."""

    submission_token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_token", uuid.uuid4().hex)

    def clean_submission_token(self):
        return self.cleaned_data["submission_token"] or None


class TopicForm(TokenForm):
    title = forms.CharField(label=_("课题名称"), max_length=TITLE_MAX_CHARS)
    description = TextField(label=_("调研内容与目的"), max_length=DESCRIPTION_MAX, rows=5, required=False)
    unit = UnitField(label=_("牵头单位"))
    owner = InstanceChoiceField(label=_("课题负责人"))
    starts_on = forms.DateField(label=_("开始日期"), widget=_date_widget())
    ends_on = forms.DateField(label=_("结束日期"), widget=_date_widget())
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, *args, user, topic=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.topic = topic
        units = list(creating_units(user).order_by("path"))
        people, labels = people_in_scope(user, user, topic.owner if topic else None)
        if topic is not None:
            if topic.unit not in units:  # an owner without a post over the unit keeps it
                units.append(topic.unit)
            del self.fields["submission_token"]
            self.fields["version"].required = True
            if not self.is_bound:
                self.initial.update(
                    title=topic.title,
                    description=topic.description,
                    unit=str(topic.unit_id),
                    owner=str(topic.owner_id),
                    starts_on=topic.starts_on,
                    ends_on=topic.ends_on,
                    version=topic.version,
                )
        else:
            del self.fields["version"]
            self.initial.setdefault("owner", str(user.pk))
        self.fields["unit"].set_units(units)
        self.fields["owner"].set_objects(people, labels)

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("结束日期不能早于开始日期。"))
        return data

    def action_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class InstancesField(forms.MultipleChoiceField):
    """Several choices among a fixed list of objects; cleans to the chosen objects."""

    def set_objects(self, objects, labels):
        self._objects = {str(o.pk): o for o in objects}
        self.choices = [(str(o.pk), labels[o.pk]) for o in objects]

    def clean(self, value):
        return [self._objects[v] for v in super().clean(value)]


class VisitForm(TokenForm):
    title = forms.CharField(label=_("走访主题"), max_length=TITLE_MAX_CHARS)
    place = UnitField(label=_("调研地点（区域）"))
    address = forms.CharField(label=_("详细地址"), max_length=200, required=False)
    date = forms.DateField(label=_("调研日期"), widget=_date_widget())
    duration_minutes = forms.IntegerField(
        label=_("时长（分钟）"), min_value=1, max_value=DURATION_MAX_MINUTES, initial=120
    )
    officials = InstancesField(label=_("参加领导干部"), widget=forms.SelectMultiple(attrs={"size": 6}))
    summary = TextField(label=_("走访纪要"), max_length=SUMMARY_MAX_CHARS, rows=6)

    def __init__(self, *args, user, topic, **kwargs):
        super().__init__(*args, **kwargs)
        places = OrgUnit.objects.areas().filter(
            Q(path__startswith=topic.unit.path) | Q(pk__in=units_in_scope(user))
        )
        self.fields["place"].set_units(places.order_by("path"))
        people, labels = official_choices(user, topic)
        self.fields["officials"].set_objects(people, labels)
        self.fields["officials"].help_text = _("可按住 Ctrl 多选。")
        if not self.is_bound:
            self.initial.update(officials=[str(user.pk)], date=timezone.localdate())

    def action_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class AttachForm(forms.Form):
    questionnaire = InstanceChoiceField(label=_("已有问卷"))

    def __init__(self, *args, user, topic, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        attached = topic.questionnaires.values("questionnaire")
        choices = list(visible_questionnaires(user).exclude(pk__in=attached).order_by("-created_at")[:200])
        labels = {q.pk: f"{q.title}（{q.owner_unit.name}，{q.get_status_display()}）" for q in choices}
        self.fields["questionnaire"].set_objects(choices, labels)


class NewQuestionnaireForm(QuestionnaireForm):
    """The questionnaire pages' own form, with a one-time token; defaults from the topic."""

    submission_token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, user, topic, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if not self.is_bound:
            self.initial.update(
                title=f"{topic.title}调查问卷",
                purpose=Purpose.RESEARCH,
                submission_token=uuid.uuid4().hex,
            )
            if self.fields["owner_unit"].queryset.filter(pk=topic.unit_id).exists():
                self.initial["owner_unit"] = topic.unit_id

    def action_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["submission_token"] = data.pop("submission_token") or None
        return data


class FindingForm(TokenForm):
    text = TextField(label=_("发现的问题"), max_length=FINDING_MAX_CHARS, rows=4)
    domain = forms.ChoiceField(label=_("领域"), choices=Domain.choices)
    measures = TextField(label=_("建议措施"), max_length=DESCRIPTION_MAX_CHARS, rows=3, required=False)

    def action_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class LedgerForm(forms.Form):
    """列入问题清单: what the ledger needs beyond the finding itself."""

    responsible_unit = UnitField(label=_("责任单位"))
    responsible_leader = InstanceChoiceField(label=_("责任领导"), required=False)
    deadline = forms.DateField(label=_("整改时限"), widget=_date_widget())
    place = UnitField(label=_("属地"), required=False)
    measures = TextField(label=_("整改措施"), max_length=DESCRIPTION_MAX_CHARS, rows=4, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, user, finding, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].set_units(keeping_units(user).order_by("path"))
        leaders = leader_choices(user)
        self.fields["responsible_leader"].set_objects(leaders, {u.pk: str(u) for u in leaders})
        self.fields["place"].set_units(units_in_scope(user).areas().order_by("path"))
        if not self.is_bound:
            self.initial.update(measures=finding.measures, version=finding.version)

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise ValidationError(_("整改时限不能早于今天。"))
        return deadline

    def action_kwargs(self) -> dict:
        return dict(self.cleaned_data)
