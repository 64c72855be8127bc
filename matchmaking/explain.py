"""The matcher's evidence (scoring.Reason, or its dict form as stored) in plain words, in the active language."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ssn4psi.regions import REGIONS, SUBREGIONS
from ssn4psi.vocabulary import THEME_LABELS, MemberKind

SCALE = {
    "idea": gettext_lazy("as an idea"),
    "pilot": gettext_lazy("as a pilot"),
    "scaled": gettext_lazy("at scale"),
    "national": gettext_lazy("at national scale"),
    "replicated": gettext_lazy("at national scale and abroad"),
}
KIND_PLURAL = {
    MemberKind.NATIONAL_GOVERNMENT: gettext_lazy("national governments"),
    MemberKind.SUBNATIONAL_GOVERNMENT: gettext_lazy("subnational governments"),
    MemberKind.GOVERNMENT_AGENCY: gettext_lazy("government agencies"),
    MemberKind.INTERNATIONAL_ORGANISATION: gettext_lazy("international organisations"),
    MemberKind.PRIVATE_SECTOR: gettext_lazy("private-sector organisations"),
    MemberKind.ACADEMIA: gettext_lazy("academic institutions"),
    MemberKind.CIVIL_SOCIETY: gettext_lazy("civil-society organisations"),
}
KIND_SINGULAR = {
    MemberKind.NATIONAL_GOVERNMENT: gettext_lazy("a national government"),
    MemberKind.SUBNATIONAL_GOVERNMENT: gettext_lazy("a subnational government"),
    MemberKind.GOVERNMENT_AGENCY: gettext_lazy("a government agency"),
    MemberKind.INTERNATIONAL_ORGANISATION: gettext_lazy("an international organisation"),
    MemberKind.PRIVATE_SECTOR: gettext_lazy("a private-sector organisation"),
    MemberKind.ACADEMIA: gettext_lazy("an academic institution"),
    MemberKind.CIVIL_SOCIETY: gettext_lazy("a civil-society organisation"),
}


def listing(items):
    """ "A, B and C" in the active language."""
    items = [str(item) for item in items]
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def _tags(reason):
    codes = [str(code) for code in reason.get("targets") or []]
    if codes:
        return _("SDG %(codes)s") % {"codes": listing(codes)}
    goals = [str(goal) for goal in reason.get("goals") or []]
    if goals:
        return ngettext("SDG goal %(codes)s", "SDG goals %(codes)s", len(goals)) % {"codes": listing(goals)}
    return listing(THEME_LABELS.get(theme, theme) for theme in reason.get("themes") or [])


def _language_names(codes):
    from ssn4psi.languages import localised_language_name

    return listing(localised_language_name(code) for code in codes)


def describe(reason):
    """One sentence for a reason given as a dict {"code": ..., params...} (or a scoring.Reason)."""
    if hasattr(reason, "as_dict"):
        reason = reason.as_dict()
    code = reason.get("code")
    if code == "need":
        text = _("%(learner)s needs “%(need)s” (%(tags)s); %(solution)s by %(provider)s serves %(tags)s") % {
            "learner": reason["learner"],
            "need": reason["need"],
            "tags": _tags(reason),
            "solution": reason["solution"],
            "provider": reason["provider"],
        }
        if reason.get("maturity") in SCALE:
            text += " " + SCALE[reason["maturity"]]
        if reason.get("figure"):
            value, label = reason["figure"]
            text += " " + _("with %(value)s %(label)s") % {"value": value, "label": label}
        return text
    if code == "need_words":
        return _("%(solution)s by %(provider)s answers “%(need)s” in its own description") % reason
    if code == "adopted_by_similar":
        return _("taken up by %(members)s, which also use %(shared)s like you") % {
            "members": listing(reason["members"]),
            "shared": listing(reason["shared"]),
        }
    if code == "adopted_by_kind":
        return _("adopted by %(kind)s (%(members)s)") % {
            "kind": KIND_PLURAL.get(reason["kind"], reason["kind"])
            if len(reason["members"]) > 1
            else KIND_SINGULAR.get(reason["kind"], reason["kind"]),
            "members": listing(reason["members"]),
        }
    if code == "adopted_nearby":
        return ngettext(
            "adopted by %(count)s member in %(place)s (%(members)s)",
            "adopted by %(count)s members in %(place)s (%(members)s)",
            reason["count"],
        ) % {
            "count": reason["count"],
            "place": SUBREGION_NAMES.get(reason["subregion"], reason["subregion"]),
            "members": listing(reason["members"]),
        }
    if code == "adopted_count":
        return ngettext("adopted by %(count)s member", "adopted by %(count)s members", reason["count"]) % reason
    if code == "shared_language":
        return _("both use %(languages)s") % {"languages": _language_names(reason["languages"])}
    if code == "same_subregion":
        return _("both in %(place)s") % {"place": SUBREGION_NAMES.get(reason["subregion"], reason["subregion"])}
    if code == "same_region":
        return _("both in %(place)s") % {"place": REGIONS_BY_KEY.get(reason["region"], reason["region"])}
    if code == "same_kind":
        return _("both are %(kind)s") % {"kind": KIND_PLURAL.get(reason["kind"], reason["kind"])}
    if code == "exchanged_before":
        return _("%(provider)s has already shared its solutions with %(learners)s") % {
            "provider": reason["provider"],
            "learners": listing(reason["learners"]),
        }
    if code == "facilitated_before":
        return _("%(facilitator)s facilitated the exchange between %(members)s") % {
            "facilitator": reason["facilitator"],
            "members": listing(reason["members"]),
        }
    if code == "works_in_both":
        from members.models import country_name
        from ssn4psi.languages import localised_country_name

        return _("%(facilitator)s works in %(countries)s") % {
            "facilitator": reason["facilitator"],
            "countries": listing(localised_country_name(code, country_name(code)) for code in reason["countries"]),
        }
    return str(code)


def describe_all(reasons):
    """The sentences for a list of reasons, in order."""
    return [str(describe(reason)) for reason in reasons]


REGIONS_BY_KEY = dict(REGIONS)
SUBREGION_NAMES = {key: label for key, label, _region in SUBREGIONS}
