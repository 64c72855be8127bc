"""Languages as ISO 639-1 codes (the catalogue format's `languages`), with their English names."""

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
