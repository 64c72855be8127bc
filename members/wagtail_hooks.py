"""Admin rules for member pages."""

from django.core.exceptions import PermissionDenied
from wagtail import hooks

from members.models import MemberPage
from ssn4psi.services import SECRETARIAT_GROUP


def can_manage_members(user):
    return user.is_superuser or user.groups.filter(name=SECRETARIAT_GROUP).exists()


@hooks.register("before_delete_page")
def only_the_secretariat_deletes_members(request, page):
    """Deleting a member deletes its solutions and needs: focal points may edit their member, not remove it."""
    if isinstance(page.specific, MemberPage) and not can_manage_members(request.user):
        raise PermissionDenied


@hooks.register("before_move_page")
def only_the_secretariat_moves_members(request, page, destination):
    """Moving a member changes its parent member; that is the Secretariat's decision."""
    if isinstance(page.specific, MemberPage) and not can_manage_members(request.user):
        raise PermissionDenied


@hooks.register("construct_page_action_menu")
def hide_delete_for_focal_points(menu_items, request, context):
    page = context.get("page")
    if page is not None and isinstance(page.specific, MemberPage) and not can_manage_members(request.user):
        menu_items[:] = [item for item in menu_items if item.name != "action-delete"]
