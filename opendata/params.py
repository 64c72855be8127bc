"""The query parameters of each endpoint, declared once: checked here (a bad value is a 400 naming the parameter,
an unknown parameter too, so that a typo never returns the whole catalogue) and documented from the same
declarations in /api/openapi.json.

A parameter that takes several values takes them repeated (`?goal=3&goal=16`) or separated by commas
(`?goal=3,16`): values of one parameter are alternatives, parameters narrow each other."""

import datetime

import pycountry
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from opendata.http import LANGUAGES
from search.backends.base import MAX_PER_PAGE as SEARCH_MAX_PAGE_SIZE
from ssn4psi.regions import REGIONS
from ssn4psi.vocabulary import THEME_KEYS, AdoptionStatus, ExchangeStatus, Maturity, MemberKind, Priority
from workshops.models import WorkshopFormat, WorkshopKind

KEY_PATTERN = r"^[a-z0-9][a-z0-9-]{0,79}$"
#: What every endpoint takes besides its own parameters (none but `lang`, declared below).
COMMON = ()


class Several(serializers.ListField):
    """Values given repeated or comma-separated, each checked by `child`; at most 50."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 50)
        super().__init__(**kwargs)

    def get_value(self, dictionary):
        if self.field_name not in dictionary:
            return serializers.empty
        values = (
            dictionary.getlist(self.field_name) if hasattr(dictionary, "getlist") else [dictionary[self.field_name]]
        )
        return [part.strip() for value in values for part in str(value).split(",") if part.strip()]

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as error:
            if not isinstance(error.detail, dict):
                raise
            raise serializers.ValidationError(
                [f"{data[int(index)]}: {message}" for index, messages in error.detail.items() for message in messages]
            ) from None


class Country(serializers.ChoiceField):
    """An ISO 3166-1 alpha-3 code, in capitals (COD)."""

    default_error_messages = {
        "invalid_choice": _('"{input}" is not an ISO 3166-1 alpha-3 country code, in capitals (COD).')
    }

    def __init__(self, **kwargs):
        super().__init__(choices=sorted(country.alpha_3 for country in pycountry.countries), **kwargs)


class SdgTargetCode(serializers.RegexField):
    def __init__(self, **kwargs):
        super().__init__(r"^\d{1,2}\.[0-9a-z]{1,2}$", **kwargs)


class UpdatedSince(serializers.DateTimeField):
    """A date and time in ISO 8601 (2026-01-31T00:00:00Z; without an offset, in UTC), or a date alone (from its
    start, in UTC)."""

    def __init__(self, **kwargs):
        super().__init__(input_formats=["iso-8601", "%Y-%m-%d"], default_timezone=datetime.UTC, **kwargs)


def choices_of(values):
    return serializers.ChoiceField(choices=sorted(values))


class Parameters(serializers.Serializer):
    """The parameters every endpoint takes."""

    lang = serializers.ChoiceField(
        choices=LANGUAGES, required=False, help_text=_("Language of labels and titles (default English).")
    )

    def validate(self, data):
        known = set(self.fields) | set(COMMON)
        unknown = sorted(set(self.initial_data) - known)
        if unknown:
            raise serializers.ValidationError(
                {
                    name: [
                        _("Unknown parameter. This endpoint takes: %(names)s.") % {"names": ", ".join(sorted(known))}
                    ]
                    for name in unknown
                }
            )
        return data


class ListParameters(Parameters):
    page = serializers.IntegerField(required=False, min_value=1, max_value=100_000, help_text=_("Page of results."))
    per_page = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=settings.API_MAX_PAGE_SIZE,
        help_text=_("Results per page (default %(default)s).") % {"default": settings.API_PAGE_SIZE},
    )


class SearchParameters(Parameters):
    q = serializers.CharField(
        max_length=200,
        trim_whitespace=False,  # the search makes the text safe itself; blanks alone find nothing
        help_text=_("Words to search for, as the site's search does; results by relevance."),
    )
    page = serializers.IntegerField(required=False, min_value=1, max_value=100_000, help_text=_("Page of results."))
    per_page = serializers.IntegerField(
        required=False, min_value=1, max_value=SEARCH_MAX_PAGE_SIZE, help_text=_("Results per page (default 20).")
    )


def _goal():
    return Several(child=serializers.IntegerField(min_value=1, max_value=17), help_text=_("SDG goal numbers."))


def _target():
    return Several(child=SdgTargetCode(), help_text=_('SDG target codes, such as "16.9".'))


def _theme():
    return Several(child=choices_of(THEME_KEYS), help_text=_("Theme keys."))


def _country():
    return Several(child=Country(), help_text=_("ISO 3166-1 alpha-3 country codes."))


def _region():
    return Several(child=choices_of([key for key, _label in REGIONS]), help_text=_("UN M49 regions."))


def _key(help_text):
    return serializers.RegexField(KEY_PATTERN, required=False, help_text=help_text)


class SolutionParameters(ListParameters):
    goal = _goal()
    target = _target()
    theme = _theme()
    country = _country()
    region = _region()
    maturity = Several(child=choices_of(Maturity.values), help_text=_("Maturity."))
    dpg = serializers.BooleanField(required=False, allow_null=True, default=None, help_text=_("Digital public goods."))
    owner = _key(_("Key of the member that offers them (its own and its members' solutions)."))
    updated_since = UpdatedSince(required=False, help_text=_("Published on or after this date (and time)."))


class MemberParameters(ListParameters):
    kind = Several(child=choices_of(MemberKind.values), help_text=_("Kinds of member."))
    country = _country()
    region = _region()
    parent = _key(_("Key of the member they belong to."))
    updated_since = UpdatedSince(required=False, help_text=_("Published on or after this date (and time)."))


class NeedParameters(ListParameters):
    member = _key(_("Key of the member that has them."))
    goal = _goal()
    target = _target()
    theme = _theme()
    country = _country()
    region = _region()
    priority = Several(child=choices_of(Priority.values), help_text=_("Priorities."))


class AdoptionParameters(ListParameters):
    solution = _key(_("Key of the solution adopted."))
    member = _key(_("Key of the member that adopted it."))
    country = _country()
    region = _region()
    status = Several(child=choices_of(AdoptionStatus.values), help_text=_("Adoption statuses."))


class ExchangeParameters(ListParameters):
    member = _key(_("Key of a member taking part (provider, learner or facilitator)."))
    provider = _key(_("Key of the provider."))
    learner = _key(_("Key of the learner."))
    solution = _key(_("Key of a solution exchanged."))
    status = Several(child=choices_of(ExchangeStatus.values), help_text=_("Exchange statuses."))


class OutcomeParameters(ListParameters):
    workshop = _key(_("Key of the workshop it came out of."))
    exchange = _key(_("Key of its exchange."))
    member = _key(_("Key of a member involved."))


class WorkshopParameters(ListParameters):
    kind = Several(child=choices_of(WorkshopKind.values), help_text=_("Kinds of workshop."))
    format = Several(child=choices_of(WorkshopFormat.values), help_text=_("Formats (in person, virtual, hybrid)."))
    member = _key(_("Key of a member involved (organiser, partner of an exchange it serves, named in an outcome)."))
    updated_since = UpdatedSince(required=False, help_text=_("Published on or after this date (and time)."))


class TargetParameters(ListParameters):
    goal = _goal()


class IndicatorParameters(ListParameters):
    goal = _goal()
    target = _target()


def read(parameters_class, request):
    """The checked parameters of `request` as a dict (left-out ones absent); a ValidationError (400, naming each
    bad parameter) otherwise."""
    empty = sorted({name for name, values in request.query_params.lists() if "" in values})
    if empty:
        raise serializers.ValidationError({name: [_("Give a value, or leave the parameter out.")] for name in empty})
    parameters = parameters_class(data=request.query_params)
    parameters.is_valid(raise_exception=True)
    return {name: value for name, value in parameters.validated_data.items() if value not in (None, [])}


class SolutionSearchParameters(SearchParameters):
    goal = _goal()
    theme = _theme()
    country = _country()
    region = _region()
    maturity = Several(child=choices_of(Maturity.values), help_text=_("Maturity."))
    dpg = serializers.BooleanField(required=False, allow_null=True, default=None, help_text=_("Digital public goods."))


class MemberSearchParameters(SearchParameters):
    country = _country()
    region = _region()


class NeedSearchParameters(SearchParameters):
    goal = _goal()
    theme = _theme()
    country = _country()
    region = _region()


class ImportParameters(Parameters):
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text=_("Check and count what the import would do, writing nothing.")
    )
