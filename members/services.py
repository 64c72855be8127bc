"""Writes about members: focal points and their permissions."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

FOCAL_POINT_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")


class FocalPointError(Exception):
    """A focal point could not be created (bad e-mail, or the user is staff elsewhere)."""


#: Every focal point group is named this prefix and its member's key.
FOCAL_POINT_GROUP_PREFIX = "Focal points: "


def focal_point_group_name(member):
    return f"{FOCAL_POINT_GROUP_PREFIX}{member.key}"


@transaction.atomic
def ensure_focal_point_group(member):
    """The group whose users edit `member`'s page and everything under it (child members, needs,
    solutions) and nothing else. Wagtail's page permissions apply to the whole subtree."""
    group, _created = Group.objects.get_or_create(name=focal_point_group_name(member))
    for codename in FOCAL_POINT_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=member,
            permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
        )
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    collection = Collection.get_first_root_node()
    for permission in Permission.objects.filter(
        content_type__app_label__in=["wagtailimages", "wagtaildocs"], codename__regex=r"^(add|choose)_"
    ):
        GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)
    return group


@transaction.atomic
def create_focal_point(member, *, email, first_name="", last_name="", user=None):
    """Give the person with `email` (created if new, without a usable password) the right to edit
    `member`'s pages. Returns (person, created)."""
    try:
        validate_email(email)
    except ValidationError as error:
        raise FocalPointError(f"{email!r} is not a valid e-mail address.") from error
    User = get_user_model()
    person = User.objects.filter(email__iexact=email).first()
    created = person is None
    if created:
        person = User(username=email.lower(), email=email.lower(), first_name=first_name, last_name=last_name)
        person.set_unusable_password()
        person.save()
    elif person.is_superuser:
        raise FocalPointError(f"{email} is a superuser already; a focal-point role would not restrict it.")
    person.groups.add(ensure_focal_point_group(member))
    return person, created


def set_password_path(person):
    """The admin's "set your password" link for `person` (valid until they log in or change it)."""
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = default_token_generator.make_token(person)
    return reverse("wagtailadmin_password_reset_confirm", kwargs={"uidb64": uid, "token": token})
