# Temporary stub; replaced by the full UN M49 table.
from django.utils.translation import gettext_lazy as _

REGIONS = (
    ("africa", _("Africa")),
    ("americas", _("Americas")),
    ("asia", _("Asia")),
    ("europe", _("Europe")),
    ("oceania", _("Oceania")),
)
COUNTRY_SUBREGION = {
    "BGD": "southern-asia",
    "COD": "sub-saharan-africa",
    "PHL": "south-eastern-asia",
    "TUR": "western-asia",
    "USA": "northern-america",
    "NOR": "northern-europe",
}
_R = {
    "southern-asia": "asia",
    "sub-saharan-africa": "africa",
    "south-eastern-asia": "asia",
    "western-asia": "asia",
    "northern-america": "americas",
    "northern-europe": "europe",
}


def region_for_country(alpha3):
    return _R.get(COUNTRY_SUBREGION.get((alpha3 or "").upper()))


def subregion_for_country(alpha3):
    return COUNTRY_SUBREGION.get((alpha3 or "").upper())
