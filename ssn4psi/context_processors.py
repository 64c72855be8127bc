"""Template context shared by every public page."""

from django.conf import settings
from django.utils.translation import get_language, get_language_info


def site_languages(request):
    """The languages of the switcher, and the text direction of the active one."""
    active = get_language() or settings.LANGUAGE_CODE
    return {
        "site_languages": [(code, name) for code, name in settings.LANGUAGES],
        "text_direction": "rtl" if get_language_info(active.split("-")[0])["bidi"] else "ltr",
    }
