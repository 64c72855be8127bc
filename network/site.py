"""Setting the site up: the locales, the page tree's fixed pages (the site's own pages among them) and the staff
roles."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page, Site

from members.models import MemberIndexPage
from network import information_pages
from network.models import HomePage, NetworkPage
from solutions.models import SolutionIndexPage
from ssn4psi.models import InformationPage
from ssn4psi.services import ensure_secretariat_group
from ssn4psi.slugs import free_slug
from workshops.models import WorkshopIndexPage


@dataclass
class SiteStructure:
    home: Page
    directory: Page
    catalogue: Page
    workshops: Page
    #: The site's own pages by role (about, contact, privacy), wherever they are now.
    information: dict
    network: Page


@transaction.atomic
def ensure_site():
    """Create what every installation needs, once: the locales, the home page as the site root, the
    member directory, the solution catalogue, the workshops, the network page, the site's own pages (about the
    network, contact, privacy notice) and the Secretariat group. Safe to call again, and on an existing
    installation: it adds what is missing and changes nothing that exists."""
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)
    default_locale = Locale.objects.get(language_code=settings.LANGUAGE_CODE)

    home = HomePage.objects.filter(locale=default_locale).first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(
            instance=HomePage(
                title="South-South Network for Public Service Innovation",
                slug="ssn4psi",
                locale=default_locale,
                intro=(
                    "Governments of the global South share the public-service innovations that worked for "
                    "them, find who has solved the problem they face, and meet to make the exchange happen."
                ),
            )
        )
        site = Site.objects.filter(is_default_site=True).first()
        old_root = site.root_page if site else None
        if site is None:
            Site.objects.create(
                hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="SSN4PSI"
            )
        else:
            site.root_page = home
            site.site_name = "SSN4PSI"
            site.save()
        # Wagtail's placeholder "Welcome" page is replaced by ours.
        if old_root is not None and old_root.pk != home.pk and old_root.specific_class is Page:
            old_root.delete()

    directory = MemberIndexPage.objects.child_of(home).first() or home.add_child(
        instance=MemberIndexPage(
            title="Members",
            slug="members",
            locale=default_locale,
            intro="Governments, agencies and organisations that share and learn public-service innovations.",
        )
    )
    catalogue = SolutionIndexPage.objects.child_of(home).first() or home.add_child(
        instance=SolutionIndexPage(
            title="Solutions",
            slug="solutions",
            locale=default_locale,
            intro="Public-service innovations that worked, with their evidence and where they were replicated.",
        )
    )
    workshops = WorkshopIndexPage.objects.child_of(home).first() or home.add_child(
        instance=WorkshopIndexPage(
            title="Workshops",
            slug="workshops",
            locale=default_locale,
            intro="Knowledge-sharing sessions, learning visits and matchmaking workshops where exchanges happen.",
        )
    )
    # Added after the others: an installation set up before it gets it the next time setup_site runs.
    network = NetworkPage.objects.child_of(home).first() or home.add_child(
        instance=NetworkPage(
            title="The network",
            slug="network",
            locale=default_locale,
            intro=(
                "Who learned from whom across the network, which goals its solutions serve and where needs "
                "still wait for a solution."
            ),
        )
    )
    information = ensure_information_pages(
        home, default_locale, {"directory": directory.pk, "catalogue": catalogue.pk, "workshops": workshops.pk}
    )
    ensure_secretariat_group(home)
    return SiteStructure(
        home=home,
        directory=directory,
        catalogue=catalogue,
        workshops=workshops,
        network=network,
        information=information,
    )


def ensure_information_pages(home, locale, links):
    """The site's own pages of `locale`, by role: those missing are made under `home`, live, with their first
    text (network.information_pages), which links the pages in `links` ({name: page id}) and each other. A page
    that has its role already is left as it is, wherever an editor put it, published or not."""
    pages = {page.role: page for page in InformationPage.objects.filter(locale=locale).exclude(role="")}
    made = []
    for role, (slug, write) in information_pages.PAGES.items():
        if role not in pages:
            page = InformationPage(title=slug, slug=free_slug(home, slug), role=role, locale=locale)
            home.add_child(instance=page)
            pages[role] = page
            made.append((page, write))
    # The texts link each other by page id: written once every page exists, and published as a first revision
    # (the page's history starts there, and it shows when it was last updated).
    ids = {**links, **{role: page.pk for role, page in pages.items()}}
    for page, write in made:
        text = write(ids)
        page.title, page.intro, page.body = text.title, text.intro, " ".join(text.body.split())
        page.save_revision().publish()
    return pages


def describe_site(structure):
    """Where the site's fixed pages are, as addresses that work: the site's configured address
    (WAGTAILADMIN_BASE_URL, which e-mails use too) and each page's URL."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return _(
        "Home: %(home)s\nDirectory: %(directory)s\nCatalogue: %(catalogue)s\nWorkshops: %(workshops)s\n"
        "Network: %(network)s\nOpen data: %(data)s\nAdmin: %(admin)s"
    ) % {
        "home": base + structure.home.get_url(),
        "directory": base + structure.directory.get_url(),
        "catalogue": base + structure.catalogue.get_url(),
        "workshops": base + structure.workshops.get_url(),
        "data": base + reverse("open_data"),
        "network": base + structure.network.get_url(),
        "admin": base + reverse("wagtailadmin_home"),
    }
