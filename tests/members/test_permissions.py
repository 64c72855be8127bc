"""Roles: the Secretariat manages everything; a focal point edits only its own member's pages."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

from members.models import MemberPage
from members.services import FocalPointError, create_focal_point
from solutions.models import SolutionPage
from ssn4psi.services import SECRETARIAT_GROUP

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]


@pytest.fixture
def congo_focal_point(small_world):
    person, _created = create_focal_point(MemberPage.objects.get(key="cod"), email="focal@gouv.cd")
    person.set_password("a-long-test-password")
    person.save()
    return person


@pytest.fixture
def bangladesh_focal_point(small_world):
    person, _created = create_focal_point(MemberPage.objects.get(key="bgd"), email="focal@bangladesh.gov.bd")
    return person


def test_congo_focal_point_edits_congo_only(congo_focal_point):
    cod = MemberPage.objects.get(key="cod")
    a2i = MemberPage.objects.get(key="bgd-a2i")
    mygov = SolutionPage.objects.get(key="mygov")

    assert cod.permissions_for_user(congo_focal_point).can_edit()
    assert cod.permissions_for_user(congo_focal_point).can_publish()
    assert cod.permissions_for_user(congo_focal_point).can_add_subpage()
    assert not a2i.permissions_for_user(congo_focal_point).can_edit()
    assert not mygov.permissions_for_user(congo_focal_point).can_edit()
    assert not MemberPage.objects.get(key="bgd").permissions_for_user(congo_focal_point).can_edit()


def test_a_focal_point_cannot_delete_or_move_its_member(congo_focal_point, client):
    client.force_login(congo_focal_point)
    cod = MemberPage.objects.get(key="cod")

    assert client.get(f"/admin/pages/{cod.pk}/delete/").status_code in (302, 403)
    assert client.post(f"/admin/pages/{cod.pk}/delete/").status_code in (302, 403)
    under_a2i = MemberPage.objects.get(key="bgd-a2i")
    response = client.post(f"/admin/pages/{cod.pk}/move/{under_a2i.pk}/confirm/")
    assert response.status_code in (302, 403)
    cod.refresh_from_db()
    assert MemberPage.objects.filter(key="cod", live=True).exists()
    assert cod.get_parent().pk == small_world_directory(cod)


def small_world_directory(member):
    from members.models import MemberIndexPage

    return MemberIndexPage.objects.get().pk


def test_a_parent_governments_focal_point_edits_its_agencies(bangladesh_focal_point):
    assert MemberPage.objects.get(key="bgd-a2i").permissions_for_user(bangladesh_focal_point).can_edit()
    assert SolutionPage.objects.get(key="mygov").permissions_for_user(bangladesh_focal_point).can_edit()
    assert not MemberPage.objects.get(key="cod").permissions_for_user(bangladesh_focal_point).can_edit()


def test_the_admin_refuses_a_focal_point_on_another_members_page(congo_focal_point, client):
    client.force_login(congo_focal_point)
    a2i = MemberPage.objects.get(key="bgd-a2i")
    cod = MemberPage.objects.get(key="cod")

    assert client.get(f"/admin/pages/{cod.pk}/edit/").status_code == 200
    refused = client.get(f"/admin/pages/{a2i.pk}/edit/")
    assert refused.status_code in (302, 403)
    response = client.post(f"/admin/pages/{a2i.pk}/edit/", {"title": "Hijacked"})
    assert response.status_code in (302, 403)
    assert MemberPage.objects.get(key="bgd-a2i").title == "Aspire to Innovate (a2i)"
    mygov = SolutionPage.objects.get(key="mygov")
    assert client.post(f"/admin/pages/{mygov.pk}/delete/").status_code in (302, 403)
    assert SolutionPage.objects.filter(key="mygov").exists()


def test_a_focal_point_can_add_a_solution_under_its_own_member(congo_focal_point):
    cod = MemberPage.objects.get(key="cod")
    a2i = MemberPage.objects.get(key="bgd-a2i")
    assert cod.permissions_for_user(congo_focal_point).can_add_subpage()
    assert not a2i.permissions_for_user(congo_focal_point).can_add_subpage()


def test_the_secretariat_edits_everything(small_world, django_user_model):
    staff = django_user_model.objects.create_user("staff@undp.org", "staff@undp.org", "a-long-test-password")
    staff.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    for page in [*MemberPage.objects.all(), *SolutionPage.objects.all()]:
        assert page.permissions_for_user(staff).can_edit(), page
        assert page.permissions_for_user(staff).can_publish(), page
    assert staff.has_perm("matchmaking.change_exchange")
    assert staff.has_perm("wagtailadmin.access_admin")


def test_nobody_without_a_role_edits(small_world, django_user_model):
    stranger = django_user_model.objects.create_user("someone", "someone@example.org", "a-long-test-password")
    assert not MemberPage.objects.get(key="cod").permissions_for_user(stranger).can_edit()


def test_create_focal_point_command_prints_a_set_password_link(small_world, capsys):
    call_command("create_focal_point", "cod", "new.focal@gouv.cd", "--first-name", "Amani")

    out = capsys.readouterr().out
    assert "Created focal point new.focal@gouv.cd" in out
    assert "/admin/password_reset/" in out
    person = Group.objects.get(name="Focal points: cod").user_set.get()
    assert person.first_name == "Amani" and not person.has_usable_password()


def test_create_focal_point_command_refuses_bad_input(small_world):
    with pytest.raises(CommandError, match="No member with key 'atlantis'"):
        call_command("create_focal_point", "atlantis", "x@example.org")
    with pytest.raises(CommandError, match="not a valid e-mail"):
        call_command("create_focal_point", "cod", "not-an-email")


def test_a_superuser_cannot_be_demoted_to_a_focal_point(small_world, django_user_model):
    django_user_model.objects.create_superuser("admin", "admin@example.org", "a-long-test-password")
    with pytest.raises(FocalPointError):
        create_focal_point(MemberPage.objects.get(key="cod"), email="admin@example.org")
