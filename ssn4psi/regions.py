"""UN M49 geographic regions and sub-regions of every country (ISO 3166-1 alpha-3).

Source: United Nations Statistics Division, "Standard country or area codes for statistical use (M49)".
The member directory filters by region; members store the region of their country when saved.
Antarctica (ATA) belongs to no M49 region and is left out.
"""

from django.utils.translation import gettext_lazy as _

REGIONS = (
    ("africa", _("Africa")),
    ("americas", _("Americas")),
    ("asia", _("Asia")),
    ("europe", _("Europe")),
    ("oceania", _("Oceania")),
)

SUBREGIONS = (
    ("northern-africa", _("Northern Africa"), "africa"),
    ("sub-saharan-africa", _("Sub-Saharan Africa"), "africa"),
    ("latin-america-caribbean", _("Latin America and the Caribbean"), "americas"),
    ("northern-america", _("Northern America"), "americas"),
    ("central-asia", _("Central Asia"), "asia"),
    ("eastern-asia", _("Eastern Asia"), "asia"),
    ("south-eastern-asia", _("South-eastern Asia"), "asia"),
    ("southern-asia", _("Southern Asia"), "asia"),
    ("western-asia", _("Western Asia"), "asia"),
    ("eastern-europe", _("Eastern Europe"), "europe"),
    ("northern-europe", _("Northern Europe"), "europe"),
    ("southern-europe", _("Southern Europe"), "europe"),
    ("western-europe", _("Western Europe"), "europe"),
    ("australia-new-zealand", _("Australia and New Zealand"), "oceania"),
    ("melanesia", _("Melanesia"), "oceania"),
    ("micronesia", _("Micronesia"), "oceania"),
    ("polynesia", _("Polynesia"), "oceania"),
)

_MEMBERS = {
    "northern-africa": "DZA EGY LBY MAR SDN TUN ESH",
    "sub-saharan-africa": (
        "IOT BDI COM DJI ERI ETH ATF KEN MDG MWI MUS MYT MOZ REU RWA SYC SOM SSD UGA TZA ZMB ZWE "
        "AGO CMR CAF TCD COG COD GNQ GAB STP "
        "BWA SWZ LSO NAM ZAF "
        "BEN BFA CPV CIV GMB GHA GIN GNB LBR MLI MRT NER NGA SHN SEN SLE TGO"
    ),
    "latin-america-caribbean": (
        "AIA ATG ABW BHS BRB BES VGB CYM CUB CUW DMA DOM GRD GLP HTI JAM MTQ MSR PRI BLM KNA LCA MAF VCT SXM "
        "TTO TCA VIR "
        "BLZ CRI SLV GTM HND MEX NIC PAN "
        "ARG BOL BVT BRA CHL COL ECU FLK GUF GUY PRY PER SGS SUR URY VEN"
    ),
    "northern-america": "BMU CAN GRL SPM USA",
    "central-asia": "KAZ KGZ TJK TKM UZB",
    "eastern-asia": "CHN HKG MAC PRK JPN MNG KOR TWN",
    "south-eastern-asia": "BRN KHM IDN LAO MYS MMR PHL SGP THA TLS VNM",
    "southern-asia": "AFG BGD BTN IND IRN MDV NPL PAK LKA",
    "western-asia": "ARM AZE BHR CYP GEO IRQ ISR JOR KWT LBN OMN QAT SAU PSE SYR TUR ARE YEM",
    "eastern-europe": "BLR BGR CZE HUN POL MDA ROU RUS SVK UKR",
    "northern-europe": "ALA DNK EST FRO FIN GGY ISL IRL IMN JEY LVA LTU NOR SJM SWE GBR",
    "southern-europe": "ALB AND BIH HRV GIB GRC VAT ITA MLT MNE MKD PRT SMR SRB SVN ESP",
    "western-europe": "AUT BEL FRA DEU LIE LUX MCO NLD CHE",
    "australia-new-zealand": "AUS CXR CCK HMD NZL NFK",
    "melanesia": "FJI NCL PNG SLB VUT",
    "micronesia": "GUM KIR MHL FSM NRU MNP PLW UMI",
    "polynesia": "ASM COK PYF NIU PCN WSM TKL TON TUV WLF",
}

#: alpha-3 -> sub-region key
COUNTRY_SUBREGION = {code: subregion for subregion, codes in _MEMBERS.items() for code in codes.split()}
_SUBREGION_REGION = {key: region for key, _label, region in SUBREGIONS}


def subregion_for_country(alpha3):
    """The M49 sub-region key of a country ("BGD" -> "southern-asia"), or None."""
    return COUNTRY_SUBREGION.get((alpha3 or "").upper())


def region_for_country(alpha3):
    """The M49 region key of a country ("COD" -> "africa"), or None."""
    return _SUBREGION_REGION.get(subregion_for_country(alpha3))
