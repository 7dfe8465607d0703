from django.urls import reverse

from grassroots.surveys.models import Question, Questionnaire

QUESTIONS = [
    {
        "text": "您是否了解新出台的养老补贴政策？",
        "kind": "single",
        "required": "on",
        "options_text": "了解\n不了解",
    },
    {
        "text": "您通过哪些渠道了解？",
        "kind": "multiple",
        "required": "on",
        "options_text": "宣讲会\n广播\n微信群",
        "max_choices": "2",
        "depends_on": "@0",
        "depends_option": "了解",
    },
    {"text": "您对政策落实的满意度", "kind": "rating", "required": "on"},
    {"text": "您的意见和建议", "kind": "long_text"},
]


def build(client, org, *, ask_phone=False, open_it=True, questions=QUESTIONS, user=None):
    """Build a questionnaire through the staff pages, as 镇长汉克 would."""
    client.force_login(user or org.head)
    data = {
        "title": "养老补贴政策满意度调查",
        "description": "请如实填写。",
        "owner_unit": org.chengguan.pk,
        "purpose": "satisfaction",
        "opens_at": "2026-03-01T08:00",
        "closes_at": "2026-03-31T18:00",
    }
    if ask_phone:
        data["ask_phone"] = "on"
    r = client.post(reverse("surveys:new"), data)
    assert r.status_code == 302, r.content.decode()
    q = Questionnaire.objects.latest("pk")
    made = []
    for spec in questions:
        spec = dict(spec)
        if str(spec.get("depends_on", "")).startswith("@"):
            spec["depends_on"] = made[int(spec["depends_on"][1:])].pk
        r = client.post(reverse("surveys:question_add", args=[q.pk]), spec)
        assert r.status_code == 302
        made.append(Question.objects.latest("pk"))
    assert len(made) == len(questions)
    if open_it:
        client.post(reverse("surveys:status", args=[q.pk]), {"status": "open"})
    q.refresh_from_db()
    client.logout()
    return q, made


def answers(made, *, token="t1", **extra):  # noqa: S107 (a submission token)
    data = {
        f"q{made[0].pk}": "了解",
        f"q{made[1].pk}": ["宣讲会", "微信群"],
        f"q{made[2].pk}": "4",
        f"q{made[3].pk}": "希望补贴按时发放。",
        "submission_token": token,
    }
    data.update(extra)
    return data


def public_url(q):
    return reverse("surveys_public:answer", args=[q.public_key])
