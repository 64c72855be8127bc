"""System checks: the matcher's weights in settings are valid before anything runs."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def check_matcher_weights(app_configs, **kwargs):
    """MATCHMAKING_WEIGHTS names known weights with numbers of zero or more (see scoring.Weights)."""
    from matchmaking.scoring import Weights

    values = getattr(settings, "MATCHMAKING_WEIGHTS", {})
    if not isinstance(values, dict):
        return [Error("MATCHMAKING_WEIGHTS must be a JSON object of weights.", id="matchmaking.E001")]
    try:
        Weights.from_dict(values)
    except ValueError as error:
        return [Error(f"MATCHMAKING_WEIGHTS: {error}", id="matchmaking.E001")]
    return []
