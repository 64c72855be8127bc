"""Reading the Digital Public Goods Alliance registry into the catalogue format (pure: no ORM).

The registry has two folders: `nominees/` (one JSON file a product: name, description, SDGs, licences,
repositories, organisations, stage) and `digitalpublicgoods/` (screening records, with the product's
development and deployment countries in English). A product becomes a solution keyed by its file name
(so ekShop and NISE meet the demo content's `ekshop` and `nise`), its owner organisation a member, and
every deployment country an adoption by that country's national-government member.
"""

import functools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.text import slugify

from members.models import country_name
from network.catalogue import FORMAT
from network.catalogue.schema import KEY

#: English names in the registry that pycountry does not know, mapped by hand. None: not a country code.
COUNTRY_ALIASES = {
    "democratic republic of the congo": "COD",
    "congo (congo-brazzaville)": "COG",
    "russia": "RUS",
    "czechia (czech republic)": "CZE",
    "turkey": "TUR",
    "türkiye": "TUR",
    "palestine state": "PSE",
    "brunei": "BRN",
    "eswatini (fmr. 'swaziland')": "SWZ",
    "caribbean netherlands": "BES",
    "micronesia": "FSM",
    "holy see": "VAT",
    "laos": "LAO",
    "vietnam": "VNM",
    "tanzania": "TZA",
    "kosovo": None,  # no ISO 3166-1 code
}

ACADEMIA = re.compile(r"\b(universit|institute of technology|college|school of|academ)", re.I)
GOVERNMENT = re.compile(r"\b(ministry|government|agency|department of|national .* (office|authority)|municipal)", re.I)
INTERNATIONAL = re.compile(
    r"\b(united nations|unicef|undp|unesco|unhcr|unfpa|unops|who\b|world health|world bank|fao\b|"
    r"food and agriculture organization|wfp|world food|ilo\b|itu\b|oecd|european commission|gavi|global fund)",
    re.I,
)
CIVIL_SOCIETY = re.compile(
    r"\b(foundation|association|society|trust|ngo|network|initiative|alliance|charity|fund)\b", re.I
)


@dataclass
class Registry:
    """What the registry folders hold: products by key, their locations, and what could not be read."""

    products: dict = field(default_factory=dict)
    locations: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)


@dataclass
class Conversion:
    """A catalogue document made from the registry, and the report of what was left out or not mapped."""

    document: dict
    unmapped_countries: dict = field(default_factory=dict)  # name -> [product keys]
    skipped: list = field(default_factory=list)  # (product key, reason)
    problems: list = field(default_factory=list)


def read_registry(directory):
    """Read both folders of the registry under `directory`; unreadable files are reported, not fatal."""
    directory = Path(directory)
    registry = Registry()
    for folder, target in (("nominees", registry.products), ("digitalpublicgoods", registry.locations)):
        for path in sorted((directory / folder).glob("*.json")):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
                registry.problems.append(f"{folder}/{path.name}: cannot be read ({error})")
                continue
            if not isinstance(data, dict) or not str(data.get("name", "")).strip():
                registry.problems.append(f"{folder}/{path.name}: has no name")
                continue
            target[path.stem.lower()] = data
    return registry


def country_code(name):
    """ISO alpha-3 for an English country name from the registry, or None."""
    cleaned = " ".join(str(name or "").split())
    if not cleaned:
        return None
    if cleaned.lower() in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[cleaned.lower()]
    try:
        return pycountry.countries.lookup(cleaned).alpha_3
    except LookupError:
        pass
    try:
        matches = pycountry.countries.search_fuzzy(cleaned)
    except LookupError:
        return None
    return matches[0].alpha_3 if len(matches) == 1 else None


def country_member_name(code):
    """The name a national government found in the registry gets as a member: "Government of Kenya"."""
    return f"Government of {country_name(code)}"


def country_from_website(url):
    """The country of a website's country-code domain ("https://www.uio.no/" -> "NOR"), or None."""
    host = re.sub(r"^https?://", "", str(url or "")).split("/")[0].split(":")[0].lower()
    suffix = host.rsplit(".", 1)[-1] if "." in host else ""
    if len(suffix) != 2:
        return None
    country = pycountry.countries.get(alpha_2="GB" if suffix == "uk" else suffix.upper())
    return country.alpha_3 if country else None


def guess_kind(name, website=""):
    """The member kind of an organisation, guessed from its name (the registry does not say)."""
    if INTERNATIONAL.search(name):
        return "international_organisation"
    if ACADEMIA.search(name):
        return "academia"
    if GOVERNMENT.search(name) or re.search(r"\.gov(\.[a-z]{2})?/?", website or ""):
        return "government_agency"
    if CIVIL_SOCIETY.search(name) or (website or "").rstrip("/").endswith(".org"):
        return "civil_society"
    return "private_sector"


def summary_of(text, limit=300):
    """The first sentence(s) of `text`, at most about `limit` characters, cut at a sentence end."""
    text = " ".join(str(text or "").split())
    if len(text) <= limit:
        return text
    cut = max(text.rfind(". ", 0, limit), text.rfind("! ", 0, limit), text.rfind("? ", 0, limit))
    return text[: cut + 1] if cut > 40 else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _url(value):
    value = str(value or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return None
    return value if len(value) <= 500 else None


def _owner_organisation(product):
    organisations = [o for o in product.get("organizations") or [] if str(o.get("name", "")).strip()]
    for role in ("owner", "maintainer"):
        for organisation in organisations:
            if organisation.get("org_type") == role:
                return organisation
    return organisations[0] if organisations else None


def convert(registry, existing_members=None, existing_solutions=None):
    """Turn the registry into one catalogue document.

    `existing_members`: {lowercased name: key} and {key: key} of members already in the database, so that
    owners such as "Aspire to Innovate (a2i)" are matched rather than duplicated. `existing_solutions`:
    {key: {"owner": key, "adoptions": [{"member", "year", "status"}], "has_tags": bool, "licence": str,
    "repository": str, "website": str}} — solutions already in the catalogue are enriched (DPG status,
    missing licence, repository, tags, new adoptions), never overwritten.
    """
    existing_members = existing_members or {}
    existing_solutions = existing_solutions or {}
    conversion = Conversion(
        document={"format": FORMAT, "members": [], "solutions": []}, problems=list(registry.problems)
    )
    new_members = {}  # key -> record
    owner_keys = {}  # lowercased organisation name -> member key

    def map_countries(names, product_key):
        codes = []
        for name in names or []:
            code = country_code(name)
            if code is None:
                if str(name).strip():
                    conversion.unmapped_countries.setdefault(str(name).strip(), []).append(product_key)
            elif code not in codes:
                codes.append(code)
        return codes

    def country_member(code):
        key = code.lower()
        if key not in existing_members and key not in new_members:
            new_members[key] = {
                "key": key,
                "name": country_member_name(code),
                "kind": "national_government",
                "country": code,
            }
        return key

    def owner_member(organisation, countries):
        name = " ".join(organisation["name"].split())[:255]
        if name.lower() in existing_members:
            return existing_members[name.lower()]
        if name.lower() in owner_keys:
            return owner_keys[name.lower()]
        if not countries:
            return None
        base = slugify(name)[:70].strip("-") or "organisation"
        key, n = base, 2
        while key in existing_members or key in new_members:
            key, n = f"{base}-{n}", n + 1
        website = _url(organisation.get("website"))
        record = {
            "key": key,
            "name": name,
            "kind": guess_kind(name, website or ""),
            "country": countries[0],
            "summary": "Organisation behind a digital public good in the DPGA registry.",
        }
        if website:
            record["website"] = website
        new_members[key] = record
        owner_keys[name.lower()] = key
        return key

    def owner_countries(product, organisation, developed, deployed):
        website_country = country_from_website(organisation.get("website") if organisation else None)
        return developed or ([website_country] if website_country else []) or deployed

    # First pass: the owner organisations that can be members, so that a product whose own record has no
    # country still finds an owner that another product located (the result does not depend on the order).
    for product_key, product in sorted(registry.products.items()):
        if product_key in existing_solutions or not KEY.match(product_key):
            continue
        organisation = _owner_organisation(product)
        if organisation is None:
            continue
        locations = (registry.locations.get(product_key) or {}).get("locations") or {}
        developed = [c for c in map(country_code, locations.get("developmentCountries") or []) if c]
        deployed = [c for c in map(country_code, locations.get("deploymentCountries") or []) if c]
        owner_member(organisation, owner_countries(product, organisation, developed, deployed))

    for product_key, product in sorted(registry.products.items()):
        if not KEY.match(product_key):
            conversion.skipped.append((product_key, "its file name cannot be a catalogue key"))
            continue
        locations = (registry.locations.get(product_key) or {}).get("locations") or {}
        developed = map_countries(locations.get("developmentCountries"), product_key)
        deployed = map_countries(locations.get("deploymentCountries"), product_key)
        goals = sorted(
            {
                int(s["SDGNumber"])
                for s in product.get("SDGs") or []
                if str(s.get("SDGNumber", "")).isdigit() and 1 <= int(s["SDGNumber"]) <= 17
            }
        )
        licences = [str(lic.get("spdx", "")).strip() for lic in product.get("license") or [] if lic.get("spdx")]
        repositories = [_url(r.get("url")) for r in product.get("repositories") or []]
        repository = next((r for r in repositories if r), None)
        website = _url(product.get("website"))
        is_dpg = product.get("stage") == "DPG"
        existing = existing_solutions.get(product_key)

        if existing:
            owner = existing["owner"]
            record = {"key": product_key, "name": existing["name"], "owner": owner}
            if is_dpg:
                record["dpg"] = True
            if licences and not existing.get("licence"):
                record["licence"] = licences[0][:80]
            if repository and not existing.get("repository"):
                record["repository"] = repository
            if website and not existing.get("website"):
                record["website"] = website
            if goals and not existing.get("has_tags"):
                record["sdg_targets"] = [str(g) for g in goals]
            adoptions = list(existing.get("adoptions") or [])
        else:
            organisation = _owner_organisation(product)
            if organisation is None:
                conversion.skipped.append((product_key, "no organisation is named"))
                continue
            owner = owner_member(organisation, owner_countries(product, organisation, developed, deployed))
            if owner is None:
                conversion.skipped.append(
                    (product_key, f"no country is known for its owner {organisation['name'].strip()!r}")
                )
                continue
            foreign = [code for code in deployed if code not in developed]
            record = {
                "key": product_key,
                "name": " ".join(str(product["name"]).split())[:255],
                "owner": owner,
                "summary": summary_of(product.get("description")),
                "description": str(product.get("description") or "").strip(),
                "sdg_targets": [str(g) for g in goals],
                "maturity": "replicated" if len(foreign) >= 2 else ("scaled" if deployed else "pilot"),
                "dpg": is_dpg,
            }
            if licences:
                record["licence"] = licences[0][:80]
            if repository:
                record["repository"] = repository
            if website:
                record["website"] = website
            adoptions = []

        adopted = {adoption["member"] for adoption in adoptions}
        for code in deployed:
            member = country_member(code)
            if member != owner and member not in adopted:
                adoptions.append({"member": member, "status": "adopted"})
                adopted.add(member)
        if adoptions:
            record["adoptions"] = [{k: v for k, v in a.items() if v is not None} for a in adoptions]
        conversion.document["solutions"].append(record)

    for key in sorted(set(registry.locations) - set(registry.products)):
        conversion.skipped.append((key, "a screening record without a product entry (nominees/)"))
    conversion.document["members"] = list(new_members.values())
    return conversion


# -- the other way: a solution as a nominee of the registry -----------------------------------------------------

NOMINEE_SCHEMA = Path(__file__).resolve().parent.parent / "ssn4psi" / "data" / "dpg-registry" / "nominee-schema.json"


class NotNominable(Exception):
    """A solution the nominee format cannot describe: the reason says what is missing."""


@functools.lru_cache(maxsize=1)
def approved_licences():
    """The SPDX identifiers of the open licences the registry accepts (its nominee schema's list)."""
    schema = json.loads(NOMINEE_SCHEMA.read_text(encoding="utf-8"))
    return frozenset(schema["properties"]["license"]["items"]["properties"]["spdx"]["enum"])


def nominee_of(solution, owner, goals, targets):
    """The nominee file of `solution` (a SolutionPage) in the registry's format (`nominee-schema.json`), so that
    its owner can nominate it: name, one-line description, website, licence, SDGs (each with the catalogue's
    targets as evidence), repository and owner organisation. `owner`: its member page; `goals`: the SDG goal
    numbers it serves; `targets`: its target codes. Typed as software, the kind the platform catalogues.

    Raises NotNominable when the format's required parts are missing: a summary, an approved open licence (an
    SPDX identifier the registry lists), a goal."""
    problems = []
    licence = (solution.licence or "").strip()
    if not licence:
        problems.append(f"{solution.title} has no licence recorded; the registry needs an open licence")
    elif licence not in approved_licences():
        problems.append(f"{licence} is not one of the open licences the registry accepts (an SPDX identifier)")
    if not goals:
        problems.append(f"{solution.title} serves no SDG goal in the catalogue")
    if not (solution.summary or "").strip():
        problems.append(f"{solution.title} has no summary to describe it")
    if problems:
        raise NotNominable("; ".join(problems))
    nominee = {
        "name": solution.title,
        "description": " ".join(solution.summary.split()),
        "license": [{"spdx": licence, "licenseURL": f"https://spdx.org/licenses/{licence}.html"}],
        "SDGs": [
            {"SDGNumber": goal, "evidenceText": _evidence(solution, goal, targets)} for goal in sorted(set(goals))
        ],
        "type": ["software"],
        "organizations": [
            {"name": owner.title, "org_type": "owner", **({"website": owner.website} if owner.website else {})}
        ],
        "stage": "nominee",
    }
    if solution.website:
        nominee["website"] = solution.website
    if solution.repository:
        nominee["repositories"] = [{"name": solution.title, "url": solution.repository}]
    return nominee


def _evidence(solution, goal, targets):
    mine = [code for code in targets if code.split(".")[0] == str(goal)]
    if mine:
        return f"{solution.title} is catalogued by SSN4PSI under SDG targets {', '.join(mine)}."
    return f"{solution.title} is catalogued by SSN4PSI under SDG {goal}."
