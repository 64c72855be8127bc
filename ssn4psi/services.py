"""The staff roles: the Secretariat group and the permissions it holds over every page and collection."""

from django.contrib.auth.models import Group, Permission
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

SECRETARIAT_GROUP = "Secretariat"
PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page")


def ensure_secretariat_group(home):
    """The Secretariat (UNDP and secretariat staff) manages every page, exchange, image and document."""
    group, _created = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    root = Page.get_first_root_node()
    for codename in PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=root,
            permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
        )
    apps = ["matchmaking", "workshops", "wagtailimages", "wagtaildocs", "wagtailredirects", "wagtail_localize"]
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=apps),
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
    )
    collection = Collection.get_first_root_node()
    for permission in Permission.objects.filter(
        content_type__app_label__in=["wagtailimages", "wagtaildocs"], codename__regex=r"^(add|change|choose|delete)_"
    ):
        GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)
    return group
