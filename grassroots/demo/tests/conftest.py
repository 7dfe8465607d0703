import random

import pytest
import time_machine

from grassroots.demo import orgtree
from grassroots.demo.taxonomy import default_paths, load_paths

from .small_county import NOW, SMALL_COUNTY


@pytest.fixture
def small_county(db, monkeypatch):
    """(org, categories) of the demo tree cut down to one county; time stands at NOW throughout."""
    monkeypatch.setattr(orgtree, "COUNTIES", [SMALL_COUNTY])
    with time_machine.travel(NOW, tick=False):
        categories, _created = load_paths(default_paths())
        yield orgtree.build(random.Random(1), categories), categories
