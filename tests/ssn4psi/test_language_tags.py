"""Language tags as BCP 47 writes them: the ISO 639-1 code where the language has one, else ISO 639-3 (Filipino
is `fil`), in the catalogue format, the admin's choices and the pages."""

import pytest

from members.models import MemberPage
from network.catalogue.importer import CatalogueError, import_catalogue
from ssn4psi.languages import is_language, language_choices, language_name, localised_language_name

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("bn", True),
        ("fr", True),
        ("fil", True),
        ("tsg", True),
        ("fra", False),
        ("ben", False),
        ("xx", False),
        ("FR", False),
        ("fil-PH", False),
        ("", False),
        (None, False),
        (7, False),
    ],
)
def test_what_is_a_language_tag(code, valid):
    # "fra" and "ben" name languages that have a two-letter code: BCP 47 uses the shorter one.
    assert is_language(code) is valid


def test_names_and_choices():
    assert language_name("fil") == "Filipino" and language_name("mdh") == "Maguindanaon"
    assert ("fil", "Filipino") in language_choices() and ("bn", "Bengali") in language_choices()
    assert len(language_choices()) == 184 + 10


def test_a_member_speaking_filipino_is_imported_and_shown(small_world, client):
    from django.utils import translation

    document = {
        "format": "ssn4psi-catalogue/2",
        "members": [
            {
                "key": "phl-barmm",
                "name": "Bangsamoro Autonomous Region in Muslim Mindanao",
                "kind": "subnational_government",
                "country": "PHL",
                "languages": ["fil", "en", "mdh"],
            }
        ],
    }
    import_catalogue(document)
    barmm = MemberPage.objects.get(key="phl-barmm")
    assert barmm.languages == ["fil", "en", "mdh"]
    barmm.full_clean()  # the admin's validation accepts them too
    html = client.get(barmm.url).content.decode()
    assert "Filipino" in html and "Maguindanaon" in html
    with translation.override("fr"):
        assert localised_language_name("fil") in {"filipino", "Filipino"}


def test_a_three_letter_code_for_a_two_letter_language_is_refused(small_world):
    document = {
        "format": "ssn4psi-catalogue/2",
        "members": [
            {
                "key": "nor",
                "name": "Norway",
                "kind": "national_government",
                "country": "NOR",
                "languages": ["nb", "fra"],
            }
        ],
    }
    with pytest.raises(CatalogueError) as error:
        import_catalogue(document)
    assert "members[0] 'nor': languages: 'fra': is not one of the language codes" in str(error.value)
