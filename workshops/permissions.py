"""Who may see and manage a workshop's registrations (participants' personal data).

Staff with the registration permissions (the Secretariat) manage every workshop. A member's focal point
manages the workshops its member organises, and those organised by the members under it (a focal point of
Bangladesh manages a2i's workshops), as its page permissions already cover the child members. Nobody else
sees a participant's data; participants see their own through the signed link of their registration."""

from django.db.models import Q
from wagtail.permission_policies import ModelPermissionPolicy

from members.services import FOCAL_POINT_GROUP_PREFIX


def is_secretariat(user):
    """Superusers and staff holding the registration permissions."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm("workshops.change_registration"))
    )


def member_keys_of(user):
    """The keys of the members whose focal point `user` is (its "Focal points: <key>" groups)."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if not hasattr(user, "_focal_point_member_keys"):
        names = user.groups.filter(name__startswith=FOCAL_POINT_GROUP_PREFIX).values_list("name", flat=True)
        user._focal_point_member_keys = {name.removeprefix(FOCAL_POINT_GROUP_PREFIX) for name in names}
    return user._focal_point_member_keys


def workshops_managed_by(user, workshops=None):
    """The workshops (a WorkshopPage queryset) whose registrations `user` may manage."""
    from members.models import MemberPage
    from workshops.models import WorkshopPage

    workshops = WorkshopPage.objects.all() if workshops is None else workshops
    if is_secretariat(user):
        return workshops
    keys = member_keys_of(user)
    if not keys:
        return workshops.none()
    # Members under a focal point's member are its page descendants: their paths start with its path.
    paths = MemberPage.objects.filter(key__in=keys).values_list("path", flat=True)
    under = Q()
    for path in paths:
        under |= Q(path__startswith=path)
    if not under:
        return workshops.none()
    members = MemberPage.objects.filter(under).values("pk")
    return workshops.filter(organisers__in=members).distinct()


def can_manage_workshop(user, workshop):
    """Whether `user` may see and manage the registrations (personal data) of `workshop`."""
    if is_secretariat(user):
        return True
    if not member_keys_of(user):
        return False
    return workshops_managed_by(user).filter(pk=workshop.pk).exists()


def members_represented_by(user):
    """The members (a MemberPage queryset) for which `user` may register a delegation: the members whose
    focal point it is, and the members under them. Staff have no member: a delegation is a member's."""
    from members.models import MemberPage

    keys = member_keys_of(user)
    if not keys:
        return MemberPage.objects.none()
    paths = MemberPage.objects.filter(key__in=keys).values_list("path", flat=True)
    under = Q()
    for path in paths:
        under |= Q(path__startswith=path)
    if not under:
        return MemberPage.objects.none()
    return MemberPage.objects.live().filter(under)


class RegistrationPermissionPolicy(ModelPermissionPolicy):
    """The admin's permission policy for registrations (registered in workshops.wagtail_hooks): the
    Secretariat's model permissions as usual; a focal point of an organising member may view and change
    (run the steps: approve, decline, check in) and export the registrations of the workshops it manages,
    and nothing else. Adding and deleting registrations stay with the Secretariat."""

    FOCAL_POINT_ACTIONS = {"view", "change"}

    def _manages_some(self, user):
        if not hasattr(user, "_manages_some_workshop"):
            user._manages_some_workshop = bool(member_keys_of(user)) and workshops_managed_by(user).exists()
        return user._manages_some_workshop

    def user_has_permission(self, user, action):
        if super().user_has_permission(user, action):
            return True
        return action in self.FOCAL_POINT_ACTIONS and self._manages_some(user)

    def user_has_permission_for_instance(self, user, action, instance):
        if super().user_has_permission(user, action):
            return True
        return action in self.FOCAL_POINT_ACTIONS and can_manage_workshop(user, instance.workshop)

    def instances_user_has_any_permission_for(self, user, actions):
        if any(super(RegistrationPermissionPolicy, self).user_has_permission(user, action) for action in actions):
            return self.model._default_manager.all()
        if not self.FOCAL_POINT_ACTIONS.intersection(actions):
            return self.model._default_manager.none()
        return self.model._default_manager.filter(workshop__in=workshops_managed_by(user))
