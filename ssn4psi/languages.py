"""Languages as ISO 639-1 codes (the catalogue format's `languages`), with their English names, and
language and country names in the interface language (pycountry's ISO translations)."""

import gettext as gettext_module
from functools import lru_cache

import pycountry


@lru_cache(maxsize=1)
def language_choices():
    """(code, name) for every ISO 639-1 language, sorted by name."""
    pairs = ((lang.alpha_2, lang.name) for lang in pycountry.languages if hasattr(lang, "alpha_2"))
    return tuple(sorted(pairs, key=lambda pair: pair[1]))


@lru_cache(maxsize=256)
def language_name(code):
    """ "bn" -> "Bengali"; an unknown code is returned as it is."""
    language = pycountry.languages.get(alpha_2=(code or "").lower())
    return language.name if language else code


def is_language(code):
    return bool(code) and pycountry.languages.get(alpha_2=str(code).lower()) is not None


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
