"""Organisers' access: the focal points of a workshop's organising members see and manage that workshop's
registrations only; the Secretariat sees all; everyone else sees nothing and is refused by URL too."""

import pytest

from tests.workshops.conftest import details
from workshops import services
from workshops.models import Registration
from workshops.models import RegistrationStatus as S
from workshops.permissions import can_manage_workshop, is_secretariat, workshops_managed_by

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]


def focal_point_of(key, email):
    from members.models import MemberPage
    from members.services import create_focal_point

    return create_focal_point(MemberPage.objects.get(key=key), email=email)[0]


@pytest.fixture
def world(make_workshop, focal_point):
    """DR Congo organises one workshop, Türkiye another; one registration pending approval in each."""
    from members.models import MemberPage

    ours = make_workshop(title="Organised by DR Congo", requires_approval=True)
    ours.organisers.set([MemberPage.objects.get(key="cod")])
    ours.save()
    theirs = make_workshop(title="Organised by Türkiye", requires_approval=True)
    theirs.organisers.set([MemberPage.objects.get(key="tur")])
    theirs.save()
    mine = services.confirm(services.register(ours, **details(1)))
    other = services.confirm(services.register(theirs, **details(2, email="someone@gov.tr")))
    return {"ours": ours, "theirs": theirs, "mine": mine, "other": other}


def test_the_rule(world, focal_point, secretary):
    from django.contrib.auth.models import AnonymousUser

    ours, theirs = world["ours"], world["theirs"]
    assert list(workshops_managed_by(focal_point)) == [ours]
    assert can_manage_workshop(focal_point, ours) and not can_manage_workshop(focal_point, theirs)
    assert is_secretariat(secretary) and can_manage_workshop(secretary, theirs)
    assert set(workshops_managed_by(secretary)) == {ours, theirs}
    for nobody in (AnonymousUser(), focal_point_of("undp", "focal@undp.org")):
        assert not can_manage_workshop(nobody, ours) and not workshops_managed_by(nobody).exists()
    # A focal point of a member above an organiser (Bangladesh above a2i) manages a2i's workshops.
    from members.models import MemberPage

    ours.organisers.set([MemberPage.objects.get(key="bgd-a2i")])
    ours.save()
    assert can_manage_workshop(focal_point_of("bgd", "focal@gov.bd"), ours)
    assert not can_manage_workshop(focal_point_of("bgd-a2i", "focal@a2i.gov.bd"), theirs)
    inactive = focal_point_of("tur", "former@gov.tr")
    inactive.is_active = False
    inactive.save()
    assert not can_manage_workshop(inactive, theirs)


def test_an_organising_focal_point_sees_and_manages_its_workshop_only(
    client, world, focal_point, django_assert_max_num_queries
):
    mine = world["mine"]
    client.force_login(focal_point)
    listing = client.get("/admin/registrations/")
    html = listing.content.decode()
    assert listing.status_code == 200 and "participant1@gouv.cd" in html and "someone@gov.tr" not in html
    assert "Organised by Türkiye" not in html  # not even in the workshop filter
    export = b"".join(client.get("/admin/registrations/?export=csv").streaming_content).decode()
    assert "participant1@gouv.cd" in export and "someone@gov.tr" not in export
    assert client.get(f"/admin/registrations/edit/{mine.pk}/").status_code == 200
    assert client.get(f"/admin/registrations/inspect/{mine.pk}/").status_code == 200
    client.post(f"/admin/registrations/{mine.pk}/step/approve/")
    assert Registration.objects.get(pk=mine.pk).status == S.CONFIRMED
    client.post(f"/admin/registrations/{mine.pk}/step/check_in/")
    assert Registration.objects.get(pk=mine.pk).status == S.ATTENDED
    # Deleting stays with the Secretariat.
    assert client.post(f"/admin/registrations/delete/{mine.pk}/").status_code in (302, 403)
    assert Registration.objects.filter(pk=mine.pk).exists()
    # Query count of the list, with two sizes of data.
    with django_assert_max_num_queries(60) as few:
        client.get("/admin/registrations/")
    for number in range(3, 23):
        services.register(world["ours"], **details(number))
    with django_assert_max_num_queries(60) as many:
        assert "participant22@gouv.cd" in client.get("/admin/registrations/").content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)


def test_another_workshops_registration_is_refused_by_url(client, world, focal_point):
    other = world["other"]
    client.force_login(focal_point)
    for path in (
        f"/admin/registrations/edit/{other.pk}/",
        f"/admin/registrations/inspect/{other.pk}/",
        f"/admin/registrations/delete/{other.pk}/",
        f"/admin/registrations/{other.pk}/step/approve/",
    ):
        response = client.get(path)
        assert response.status_code in (302, 403) and "someone@gov.tr" not in response.content.decode(), path
    for step in ("approve", "decline", "check_in"):
        assert client.post(f"/admin/registrations/{other.pk}/step/{step}/").status_code in (302, 403)
    assert client.post(f"/admin/registrations/edit/{other.pk}/", {"name": "Changed"}).status_code in (302, 403)
    export = b"".join(client.get(f"/admin/registrations/?export=csv&workshop={world['theirs'].pk}").streaming_content)
    assert b"someone@gov.tr" not in export
    other.refresh_from_db()
    assert other.status == S.PENDING_APPROVAL and other.name == "Participant 2"


def test_a_focal_point_of_a_non_organising_member_sees_nothing(client, world):
    outsider = focal_point_of("phl-barmm", "focal@bangsamoro.gov.ph")
    client.force_login(outsider)
    response = client.get("/admin/registrations/")
    assert response.status_code in (302, 403)
    assert "participant1@gouv.cd" not in response.content.decode()
    export = client.get("/admin/registrations/?export=csv")
    assert export.status_code in (302, 403)
    for registration in (world["mine"], world["other"]):
        assert client.get(f"/admin/registrations/edit/{registration.pk}/").status_code in (302, 403)
        assert client.post(f"/admin/registrations/{registration.pk}/step/approve/").status_code in (302, 403)
    assert Registration.objects.filter(status=S.PENDING_APPROVAL).count() == 2
    admin_home = client.get("/admin/").content.decode()
    assert "/admin/registrations/" not in admin_home  # no menu item


def test_the_secretariat_sees_every_workshop(client, world, secretary):
    client.force_login(secretary)
    html = client.get("/admin/registrations/").content.decode()
    assert "participant1@gouv.cd" in html and "someone@gov.tr" in html
    assert client.get(f"/admin/registrations/edit/{world['other'].pk}/").status_code == 200
