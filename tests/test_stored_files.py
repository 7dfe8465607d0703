"""Uploaded files are stored under random names: a path on disk says nothing about the matter."""

from django.core.files.uploadedfile import SimpleUploadedFile

from grassroots.ledger.models import Evidence
from grassroots.ledger.tests.helpers import make_problem
from grassroots.lib.stored_files import RandomPath


def test_a_stored_path_is_random_and_keeps_only_the_extension():
    path = RandomPath("ledger")
    first, second = path(None, "王小明的房屋照片.JPG"), path(None, "王小明的房屋照片.JPG")
    assert first.startswith("ledger/") and first.endswith(".jpg")
    assert "王小明" not in first and first != second
    assert RandomPath("ledger").deconstruct()[1] == ("ledger",)  # migrations can write it


def test_it_stores_uploads_with_their_original_names_in_the_row(org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    problem = make_problem(org)
    upload = SimpleUploadedFile("整改前.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32, content_type="image/png")
    [stored] = Evidence.store([(upload, "image/png")], org.head, problem=problem)
    stored.refresh_from_db()
    assert stored.original_name == "整改前.png" and stored.size == 40 and stored.uploaded_by == org.head
    assert "整改前" not in stored.file.name and stored.file.name.startswith("ledger/")
