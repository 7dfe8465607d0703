"""The two submits of a double-clicked 提交问卷 (on a questionnaire asking for a phone) reach the
server together: one response, and neither click is told the phone has already answered.
Real transactions and threads, so the database's locking decides."""

import pytest

from grassroots.surveys import actions
from grassroots.surveys.models import Response
from tests.race import race

from .helpers import build

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("travel")]


def test_a_double_clicked_answer_is_stored_once_and_both_clicks_get_it(client, org):
    q, made = build(client, org, ask_phone=True)
    values = {made[0].pk: {"choices": ["不了解"]}, made[2].pk: {"rating": 5}}

    for n in range(3):  # the race goes either way; neither way may refuse the resident
        token = f"{n:032x}"

        def click(token=token):
            return actions.submit(q, values, phone="13912345678", submission_token=token)

        Response.objects.all().delete()
        first, second = race(click, click)
        assert isinstance(first, Response) and isinstance(second, Response), (first, second)
        assert first.pk == second.pk
        assert Response.objects.count() == 1
