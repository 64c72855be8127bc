"""People of the matchmaking tests: a member of the Secretariat, and DR Congo's focal point."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from members.models import MemberPage
from members.services import create_focal_point
from ssn4psi.services import SECRETARIAT_GROUP


@pytest.fixture
def secretary(small_world):
    person = get_user_model().objects.create_user("secretary", "secretary@ssn4psi.org", "a-long-test-password")
    person.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    return person


@pytest.fixture
def focal_point(small_world):
    person, _created = create_focal_point(MemberPage.objects.get(key="cod"), email="focal@gouv.cd")
    return person
