"""factory_boy factories for the network's records, written through the same calls as the catalogue importer
(network.catalogue.importer), so that a world built from them is the world an import of the same facts builds.

Pages are added with Wagtail's `parent.add_child(instance=page)` and published as their first revision, their
inline rows (needs, key figures, adoptions) and tags in it; the reference index is written once per page, as the
importer writes it. What the model derives on save (a solution's owner and `goal_index`, a member's region) is
left to the model. Needs, adoptions and key figures are built, not saved: they are written with their page.
"""

import factory
from django.contrib.auth import get_user_model
from django.utils.text import slugify
from django.utils.translation import gettext
from factory.django import DjangoModelFactory
from wagtail.images import get_image_model
from wagtail.models import Orderable, ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from matchmaking.models import Exchange, ExchangeStatusChange
from members.models import MemberIndexPage, MemberPage, Need
from network.catalogue.importer import split_sdg_codes
from solutions.models import Adoption, KeyFigure, SolutionPage
from ssn4psi.models import SdgGoal, SdgTarget, Theme
from ssn4psi.page_cache import content_changed
from ssn4psi.vocabulary import AdoptionStatus, ExchangeStatus, Maturity, MemberKind, Priority


def sdg_goals(codes):
    """The whole goals among SDG codes ("17" of ["16.6", "17"]), by number, as the importer tags them."""
    goals, _targets = split_sdg_codes(codes)
    return list(SdgGoal.objects.filter(number__in=goals).order_by("number"))


def sdg_targets(codes):
    """The targets among SDG codes ("16.6" of ["16.6", "17"]), by code, as the importer tags them."""
    _goals, targets = split_sdg_codes(codes)
    return list(SdgTarget.objects.filter(code__in=targets).order_by("code"))


def themes(keys):
    """The themes with `keys`, by key, as the importer tags them."""
    return list(Theme.objects.filter(key__in=keys).order_by("key"))


class PageFactory(DjangoModelFactory):
    """A page added under `parent` and published as its first revision, as the importer adds a new record.

    Its slug is its title's, or its key when a sibling has that slug already; inline rows get their position."""

    class Meta:
        abstract = True

    key = factory.Sequence(lambda n: f"record-{n}")
    title = factory.LazyAttribute(lambda page: page.key.replace("-", " ").capitalize())
    slug = factory.LazyAttribute(lambda page: slugify(page.title)[:60].strip("-") or page.key)

    @classmethod
    def _create(cls, model_class, *args, parent, **kwargs):
        for children in kwargs.values():
            for position, child in enumerate(children if isinstance(children, list) else ()):
                if isinstance(child, Orderable):
                    child.sort_order = position
        page = model_class(*args, **kwargs)
        if parent.get_children().filter(slug=page.slug).exists():
            page.slug = page.key
        with disable_reference_index_auto_update():
            parent.add_child(instance=page)
            page.save_revision().publish()  # history: "create" (add_child) then "publish", as the importer writes
        ReferenceIndex.create_or_update_for_object(page)
        content_changed()
        return page


class NeedFactory(DjangoModelFactory):
    """What a member wants to learn; give it to MemberPageFactory(needs=[...]). `sdg` takes catalogue codes
    ("16.6", or "16" for a whole goal) and `theme_keys` theme keys."""

    class Meta:
        model = Need
        strategy = factory.BUILD_STRATEGY

    class Params:
        sdg = ()
        theme_keys = ()

    key = factory.Sequence(lambda n: f"need-{n}")
    title = factory.LazyAttribute(lambda need: f"Need {need.key}")
    description = ""
    priority = Priority.MEDIUM
    modalities = factory.LazyFunction(list)
    sdg_targets = factory.LazyAttribute(lambda need: sdg_targets(need.sdg))
    sdg_goals = factory.LazyAttribute(lambda need: sdg_goals(need.sdg))
    themes = factory.LazyAttribute(lambda need: themes(need.theme_keys))


class MemberPageFactory(PageFactory):
    """A member page under the member directory, or under its parent member (`parent`), with its needs."""

    class Meta:
        model = MemberPage

    parent = factory.LazyFunction(lambda: MemberIndexPage.objects.get())
    kind = MemberKind.NATIONAL_GOVERNMENT
    country = "BGD"
    languages = factory.LazyFunction(list)


class AdoptionFactory(DjangoModelFactory):
    """A member taking up a solution; give it to SolutionPageFactory(adoptions=[...])."""

    class Meta:
        model = Adoption
        strategy = factory.BUILD_STRATEGY

    status = AdoptionStatus.ADOPTED
    year = None


class KeyFigureFactory(DjangoModelFactory):
    """A solution's headline number; give it to SolutionPageFactory(key_figures=[...])."""

    class Meta:
        model = KeyFigure
        strategy = factory.BUILD_STRATEGY

    value = "1"
    label = "figure"


class SolutionPageFactory(PageFactory):
    """A solution page under its owner's member page (`owner`), with its tags, key figures and adoptions.
    `sdg` takes catalogue codes ("16.6", or "17" for a whole goal) and `theme_keys` theme keys."""

    class Meta:
        model = SolutionPage

    class Params:
        owner = factory.SubFactory(MemberPageFactory)
        sdg = ()
        theme_keys = ()

    parent = factory.SelfAttribute("owner")
    maturity = Maturity.PILOT
    languages = factory.LazyFunction(list)
    sdg_targets = factory.LazyAttribute(lambda page: sdg_targets(page.sdg))
    sdg_goals = factory.LazyAttribute(lambda page: sdg_goals(page.sdg))
    themes = factory.LazyAttribute(lambda page: themes(page.theme_keys))


class ExchangeFactory(DjangoModelFactory):
    """An exchange provider -> learner around `solutions`, with its first status recorded as the importer
    records it (no author, the note `status_note`)."""

    class Meta:
        model = Exchange

    provider = factory.SubFactory(MemberPageFactory)
    learner = factory.SubFactory(MemberPageFactory)
    key = factory.LazyAttribute(lambda exchange: f"{exchange.learner.key}-{exchange.provider.key}")
    status = ExchangeStatus.PROPOSED
    status_note = factory.LazyFunction(lambda: gettext("Imported from the catalogue"))

    @classmethod
    def _create(cls, model_class, *args, status_note, solutions=(), **kwargs):
        with disable_reference_index_auto_update():
            exchange = model_class.objects.create(*args, **kwargs)
            ExchangeStatusChange.objects.create(exchange=exchange, status=exchange.status, note=status_note)
            if solutions:
                exchange.solutions.set([solution.pk for solution in solutions])
        return exchange


class UserFactory(DjangoModelFactory):
    """A person with a password (`password`, "a-long-test-password" by default) and the `groups` given."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda person: f"{person.username}@example.org")
    password = "a-long-test-password"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class._default_manager.create_user(*args, **kwargs)

    @factory.post_generation
    def groups(person, create, groups):
        if create and groups:
            person.groups.add(*groups)


class ImageFactory(DjangoModelFactory):
    """An image in Wagtail's library: a PNG drawn by Pillow (`file__width`, `file__height`, `file__color`), with a
    description, its alt text. Its file goes to MEDIA_ROOT: use the `media` fixture, which points it to the test's
    own folder."""

    class Meta:
        model = get_image_model()

    title = factory.Sequence(lambda n: f"Logo {n}")
    description = factory.LazyAttribute(lambda image: f"{image.title}: a blue square")
    file = factory.django.ImageField(width=240, height=160, color="blue", format="PNG")
