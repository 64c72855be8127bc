"""The core app's additions to Wagtail's admin."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_global_admin_js")
def admin_initialisers():
    """The file that starts Wagtail's widgets from the data blocks its inline scripts became (ssn4psi.admin_scripts),
    on every admin page."""
    return format_html('<script src="{}"></script>', static("js/admin-init.js"))
