import pytest

from grassroots.accounts.models import Level, OrgUnit


@pytest.fixture
def chengxi(org):
    """城西村, 城东村's sibling village under 城关镇."""
    return OrgUnit.objects.create(name="城西村", level=Level.VILLAGE, parent=org.chengguan)
