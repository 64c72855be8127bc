"""Languages as BCP 47 primary language subtags (the catalogue format's `languages`): the ISO 639-1 code where
the language has one (`bn`, `fr`), else its ISO 639-3 code (`fil` for Filipino), with their English names, and
language and country names in the interface language (pycountry's ISO translations)."""

import gettext as gettext_module
from functools import lru_cache

import pycountry

#: Languages of the network's members that have no ISO 639-1 code, offered beside the 184 that have one (the
#: full ISO 639-3 list holds 7,000 living languages: too long to choose from). Add a code here to offer it.
THREE_LETTER_LANGUAGES = (
    "fil",  # Filipino (the Philippines)
    "ceb",  # Cebuano
    "hil",  # Hiligaynon
    "mdh",  # Maguindanaon (BARMM)
    "mrw",  # Maranao (BARMM)
    "tsg",  # Tausug (BARMM)
    "lua",  # Luba-Lulua, Tshiluba (DR Congo)
    "prs",  # Dari (Afghanistan)
    "ctg",  # Chittagonian (Bangladesh)
    "syl",  # Sylheti (Bangladesh)
)


def _language(code):
    """pycountry's language for a BCP 47 primary subtag: two letters for ISO 639-1, three for a language that
    has no two-letter code (a three-letter code of a language that has one, `fra`, is not BCP 47)."""
    code = str(code or "")
    if len(code) == 2:
        return pycountry.languages.get(alpha_2=code)
    if len(code) == 3:
        language = pycountry.languages.get(alpha_3=code)
        return language if language is not None and not hasattr(language, "alpha_2") else None
    return None


@lru_cache(maxsize=1)
def language_choices():
    """(code, name) for every ISO 639-1 language and the THREE_LETTER_LANGUAGES, sorted by name."""
    pairs = [(lang.alpha_2, lang.name) for lang in pycountry.languages if hasattr(lang, "alpha_2")]
    pairs += [(code, _language(code).name) for code in THREE_LETTER_LANGUAGES]
    return tuple(sorted(pairs, key=lambda pair: pair[1]))


@lru_cache(maxsize=256)
def language_name(code):
    """ "bn" -> "Bengali", "fil" -> "Filipino"; an unknown code is returned as it is."""
    language = _language(code)
    return language.name if language else code


@lru_cache(maxsize=1)
def _language_codes():
    return frozenset(code for code, _name in language_choices())


def is_language(code):
    """Whether `code` is a language the site offers: lowercase, as BCP 47 writes primary subtags."""
    return isinstance(code, str) and code in _language_codes()


@lru_cache(maxsize=16)
def _iso_catalogue(domain, language):
    """pycountry's own translations of ISO names (iso639-3 for languages, iso3166-1 for countries)."""
    return gettext_module.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)


def localised_language_name(code):
    """The name of a language in the active interface language ("fr" -> "français" in French, "French" in
    English), from pycountry's ISO 639 translations; the English name when there is none."""
    from django.utils.translation import get_language

    name = language_name(code)
    language = (get_language() or "en").split("-")[0]
    return name if language == "en" else _iso_catalogue("iso639-3", language).gettext(name)


def localised_country_name(alpha3, english_name):
    """The name of a country in the active interface language, from pycountry's ISO 3166 translations;
    `english_name` (the running-text English form) when the language is English or has no translation."""
    from django.utils.translation import get_language

    language = (get_language() or "en").split("-")[0]
    country = pycountry.countries.get(alpha_3=(alpha3 or "").upper())
    if language == "en" or country is None:
        return english_name
    translated = _iso_catalogue("iso3166-1", language).gettext(country.name)
    if translated == country.name:
        return english_name
    if ", " in translated:  # ISO's inverted form, "Congo, República Democrática del"
        head, tail = translated.split(", ", 1)
        translated = f"{tail} {head}"
    return translated
