"""The shared vocabulary: the SDG framework in the database, themes, regions."""

import pycountry
import pytest

from ssn4psi.models import SdgGoal, SdgIndicator, SdgTarget, Theme
from ssn4psi.regions import REGIONS, SUBREGIONS, region_for_country, subregion_for_country
from ssn4psi.sdg import parse_code, sort_key
from ssn4psi.vocabulary import THEME_KEYS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]


def test_the_framework_is_complete():
    assert SdgGoal.objects.count() == 17
    assert SdgTarget.objects.count() == 169
    assert SdgIndicator.objects.count() == 252
    assert SdgTarget.objects.filter(goal=16).count() == 12
    assert sorted(set(SdgIndicator.objects.values_list("target__goal", flat=True))) == list(range(1, 18))


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar", "ru", "sw", "zh-Hans"])
def test_every_title_is_there_in_every_language(language):
    for model in (SdgGoal, SdgTarget, SdgIndicator):
        missing = [str(obj.pk) for obj in model.objects.all() if not obj.titles.get(language)]
        assert missing == [], (model.__name__, language)


def test_titles_follow_the_active_language(settings):
    from django.utils import translation

    goal = SdgGoal.objects.get(number=16)
    target = SdgTarget.objects.get(code="16.9")
    with translation.override("fr"):
        assert goal.short_title == "Paix, justice et institutions efficaces"
        assert "identité juridique" in target.title and "naissances" in target.title
    with translation.override("es"):
        assert goal.short_title == "Paz, justicia e instituciones fuertes"
    with translation.override("ar"):
        assert "السلام" in goal.short_title
    with translation.override("en"):
        assert target.title == "By 2030, provide legal identity for all, including birth registration"


def test_targets_are_in_un_order():
    codes = list(SdgTarget.objects.filter(goal=1).values_list("code", flat=True))
    assert codes == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.a", "1.b"]
    assert sorted(["1.10", "1.a", "1.2"], key=sort_key) == ["1.2", "1.10", "1.a"]


@pytest.mark.parametrize(("code", "expected"), [("16", (16, None)), ("16.6", (16, "16.6")), ("5.b", (5, "5.b"))])
def test_parse_code(code, expected):
    assert parse_code(code) == expected


@pytest.mark.parametrize("code", ["0", "18", "16.", "16.6.1", "a", "", "16,6"])
def test_parse_code_rejects(code):
    with pytest.raises(ValueError):
        parse_code(code)


def test_themes_are_loaded():
    assert set(Theme.objects.values_list("key", flat=True)) == THEME_KEYS
    assert Theme.objects.get(key="justice").description == "Courts, legal aid, dispute resolution"


def test_every_country_has_a_region():
    regions = {key for key, _label in REGIONS}
    subregions = {key for key, _label, _region in SUBREGIONS}
    for country in pycountry.countries:
        if country.alpha_3 == "ATA":
            continue
        assert region_for_country(country.alpha_3) in regions, country.alpha_3
        assert subregion_for_country(country.alpha_3) in subregions, country.alpha_3


@pytest.mark.parametrize(
    ("code", "region", "subregion"),
    [
        ("BGD", "asia", "southern-asia"),
        ("cod", "africa", "sub-saharan-africa"),
        ("PHL", "asia", "south-eastern-asia"),
        ("TUR", "asia", "western-asia"),
        ("SDN", "africa", "northern-africa"),
        ("MEX", "americas", "latin-america-caribbean"),
        ("NOR", "europe", "northern-europe"),
        ("PLW", "oceania", "micronesia"),
        ("XXX", None, None),
    ],
)
def test_region_for_country(code, region, subregion):
    assert region_for_country(code) == region
    assert subregion_for_country(code) == subregion


def test_the_solution_page_shows_its_tags_in_framework_order(small_world, client):
    from solutions.models import SolutionPage

    ekshop = SolutionPage.objects.get(key="ekshop")
    ekshop.sdg_targets.set(SdgTarget.objects.filter(code__in=["8.3", "5.b", "1.4"]))
    ekshop.themes.set(Theme.objects.filter(key__in=["digital-payments", "e-commerce", "health"]))
    ekshop.save()
    targets, goals, themes = ekshop.tags()
    assert [target.code for target in targets] == ["1.4", "5.b", "8.3"]
    assert [goal.number for goal in goals] == [17]
    assert [theme.key for theme in themes] == [t.key for t in Theme.objects.filter(key__in=[t.key for t in themes])]
    html = client.get(ekshop.url).content.decode()
    assert html.index("<strong>1.4</strong>") < html.index("<strong>5.b</strong>") < html.index("<strong>8.3</strong>")


def test_a_changed_title_shows_at_once(small_world, client):
    assert "Peace, justice and strong institutions" in client.get("/").content.decode()
    goal = SdgGoal.objects.get(number=16)
    goal.short_titles = {**goal.short_titles, "en": "Peace and justice for all"}
    goal.save()
    assert "Peace and justice for all" in client.get("/").content.decode()
