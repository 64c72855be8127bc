"""Who may see and manage a workshop's registrations (participants' personal data).

Staff with the registration permissions (the Secretariat) manage every workshop. A member's focal point
manages the workshops its member organises, and those organised by the members under it (a focal point of
Bangladesh manages a2i's workshops), as its page permissions already cover the child members. Nobody else
sees a participant's data; participants see their own through the signed link of their registration."""

from django.db.models import Q

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
