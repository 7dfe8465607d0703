# Temporary: used until grassroots.reception is wired into grassroots/settings.py and urls.py.
from grassroots.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "grassroots.reception"]  # noqa: F405
ROOT_URLCONF = "grassroots.reception.tests.urls_reception"

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # Other suites run at the same time in this tree; keep our own test database file.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-reception.sqlite3")}  # noqa: F405
