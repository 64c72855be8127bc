"""The site's own pages: about the network, how to contact the Secretariat, the privacy notice."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from ssn4psi.richtext import sanitise_html


class InformationPageRole(models.TextChoices):
    """What the site links to an information page for. The footer of every page links each role's page; every
    consent box of a registration form links the privacy notice."""

    ABOUT = "about", _("About the network")
    CONTACT = "contact", _("Contact")
    PRIVACY = "privacy", _("Privacy notice")


class InformationPageQuerySet(PageQuerySet):
    def linked(self):
        """The pages the site links to by their role (ssn4psi.site_pages): live and public, with a role, each
        with its locale."""
        return self.live().public().exclude(role="").select_related("locale")


class InformationPage(Page):
    """A page of text about the site itself: what the network is, how to reach it, the privacy notice. Made by
    `setup_site` under the home page and edited in the admin like any page. Its `role`, if any, tells the rest
    of the site to link it (the footer, the registration forms' consent boxes); one page per role and locale."""

    intro = models.TextField(
        _("introduction"), blank=True, help_text=_("One or two sentences: shown first, and in search results.")
    )
    body = RichTextField(_("body"), blank=True)
    role = models.CharField(
        _("linked as"),
        max_length=12,
        choices=InformationPageRole.choices,
        blank=True,
        help_text=_(
            "The site links this page from the footer of every page (and, for the privacy notice, from every "
            "consent box of the registration forms). One page per role and language."
        ),
    )

    objects = PageManager.from_queryset(InformationPageQuerySet)()

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    promote_panels = Page.promote_panels + [FieldPanel("role")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    subpage_types = []
    # A copy in the same language would be a second page with the same role: the copy has none.
    exclude_fields_in_copy = ["role"]

    class Meta:
        verbose_name = _("information page")
        verbose_name_plural = _("information pages")

    def clean(self):
        """One page per role and language (the locale is a field of Wagtail's page table, which a constraint of
        this table cannot name: checked here, as the editor and add_child() save)."""
        super().clean()
        if self.role and self.locale_id:
            others = InformationPage.objects.filter(role=self.role, locale_id=self.locale_id).exclude(pk=self.pk)
            if others.exists():
                message = _("Another page in this language is already linked as “%(role)s”.")
                raise ValidationError({"role": message % {"role": self.get_role_display()}})

    def save(self, *args, **kwargs):
        self.body = sanitise_html(self.body)
        super().save(*args, **kwargs)
