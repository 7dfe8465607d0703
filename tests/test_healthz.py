import json


def test_it_reports_healthy_with_the_database_vendor(client, db, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["status"] == "ok"
    assert body["database"] in {"sqlite", "postgresql"}


def test_it_answers_503_when_the_database_is_unreachable(client, db, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise OSError("connection refused")

    with monkeypatch.context() as patched:
        patched.setattr(connection, "cursor", broken_cursor)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["status"] == "error"
