"""API tokens in the admin (Settings > API tokens): an administrator creates one for a user, who writes through
the API with it as that user, within that user's permissions (opendata.writes). The token is shown in the
listing, to those who manage tokens only."""

from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import Token
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet


class TokenViewSet(ModelViewSet):
    model = Token
    icon = "key"
    menu_label = _("API tokens")
    add_to_settings_menu = True
    form_fields = ["user"]
    list_display = ["user", "key", "created"]
    ordering = ["-created"]
    inspect_view_enabled = False


@hooks.register("register_admin_viewset")
def register_token_viewset():
    return TokenViewSet("api_tokens")
