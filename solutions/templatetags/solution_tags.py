"""Template tags of the catalogue, for any page that shows solutions."""

from django import template

register = template.Library()


@register.inclusion_tag("solutions/includes/solution_cards.html", takes_context=True)
def solution_cards(context, solutions):
    """{% solution_cards solutions %}: the cards of `solutions`, pages read by SolutionPage.objects.for_catalogue()
    (with the fields and themes a card shows)."""
    return {"solutions": solutions, "request": context.get("request")}
