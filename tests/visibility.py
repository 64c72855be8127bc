"""The ways a page can be hidden from anonymous visitors, for the visibility tests: every public listing,
section, feed and suggestion shows only pages that are live and public (`live().public()`), and the live
version of them."""

import re

from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

#: How a page is hidden: unpublished, restricted to logged-in people, to a group, or under a parent restricted.
HIDDEN = ("unpublished", "login", "groups", "restricted parent")


def hide(page, how):
    """Hide `page` from anonymous visitors in one of the HIDDEN ways."""
    if how == "unpublished":
        page.unpublish()
    elif how == "login":
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    elif how == "groups":
        restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
        restriction.groups.add(Group.objects.get_or_create(name="Insiders")[0])
    elif how == "restricted parent":
        PageViewRestriction.objects.create(page=page.get_parent(), restriction_type=PageViewRestriction.LOGIN)
    else:
        raise ValueError(how)


def draft_change(page, title):
    """Give `page` an unpublished revision with a new title (the live page keeps its own)."""
    page = page.specific
    live_title = page.title
    page.title = title
    page.save_revision()
    page.title = live_title
    return page


def section(html, heading_id):
    """The HTML of the <section> (or <aside>) labelled by `heading_id`, "" when the page has none."""
    found = re.search(rf'<section aria-labelledby="{heading_id}".*?</section>', html, re.S)
    return found.group(0) if found else ""


#: Pages added to the small world (tests/conftest.py) for the visibility tests: Kenya > its ICT Authority (which
#: owns eCitizen) and a portal owned by Türkiye.
KENYA = {
    "members": [
        {"key": "ken", "name": "Government of Kenya", "kind": "national_government", "country": "KEN"},
        {
            "key": "ken-ict",
            "name": "Kenya ICT Authority",
            "kind": "government_agency",
            "country": "KEN",
            "parent": "ken",
        },
    ],
    "solutions": [
        {"key": "ecitizen", "name": "eCitizen", "owner": "ken-ict", "summary": "Government services online."},
        {"key": "tur-portal", "name": "e-Devlet", "owner": "tur", "summary": "Türkiye's government gateway."},
    ],
}


def build_world():
    """What the public reads of matchmaking and workshops show on BARMM's member page, each with something to
    hide and something that stays (Türkiye, e-Devlet, UNDP):

    - partners recommended to BARMM: a2i (myGov), then Türkiye (eCitizen, e-Devlet; facilitated by the Kenya ICT
      Authority or UNDP);
    - solutions like the ones BARMM adopted: eCitizen, then e-Devlet;
    - BARMM's exchanges: a2i -> BARMM, Türkiye -> BARMM (facilitated by the Kenya ICT Authority), BARMM -> the
      Kenya ICT Authority;
    Returns the pages by key and the exchanges by key."""
    from matchmaking.models import Exchange, PartnerRecommendation, SolutionRecommendation
    from members.models import MemberPage
    from network.catalogue import FORMAT
    from network.catalogue.importer import import_catalogue
    from solutions.models import SolutionPage

    import_catalogue({"format": FORMAT, **KENYA})
    pages = {m.key: m for m in MemberPage.objects.all()} | {s.key: s for s in SolutionPage.objects.all()}
    barmm = pages["phl-barmm"]
    PartnerRecommendation.objects.create(
        learner=barmm, provider=pages["bgd-a2i"], rank=1, score=0.9, solutions=["mygov"], reasons=[], facilitators=[]
    )
    PartnerRecommendation.objects.create(
        learner=barmm,
        provider=pages["tur"],
        rank=2,
        score=0.5,
        solutions=["ecitizen", "tur-portal"],
        reasons=[{"code": "same_kind", "kind": "national_government"}],
        facilitators=[{"key": "ken-ict", "reasons": []}, {"key": "undp", "reasons": []}],
    )
    for rank, key in enumerate(["ecitizen", "tur-portal"], start=1):
        SolutionRecommendation.objects.create(
            learner=barmm, solution=pages[key], kind="adopters", rank=rank, score=1 / rank, reasons=[]
        )
    exchanges = {
        "a2i-barmm": Exchange.objects.create(key="a2i-barmm", provider=pages["bgd-a2i"], learner=barmm),
        "tur-barmm": Exchange.objects.create(
            key="tur-barmm", provider=pages["tur"], learner=barmm, facilitator=pages["ken-ict"]
        ),
        "barmm-ken-ict": Exchange.objects.create(key="barmm-ken-ict", provider=barmm, learner=pages["ken-ict"]),
    }
    return pages, exchanges
