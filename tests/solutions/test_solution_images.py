"""A solution's image (a logo or picture): refused without alt text (its description in the image library); shown
on its page and its card as small WebP renditions with their alt text, size and lazy loading; listings with
images keep a fixed number of queries."""

import pytest
from django.core.exceptions import ValidationError

from members.models import MemberPage
from solutions.models import SolutionPage
from tests.factories import ImageFactory
from tests.images import images, show_image

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]


def test_an_image_without_alt_text_is_refused(small_world, media):
    mygov = SolutionPage.objects.get(key="mygov")
    mygov.image = ImageFactory(description="  ")

    with pytest.raises(ValidationError) as refused:
        mygov.full_clean()

    assert list(refused.value.error_dict) == ["image"]
    assert "no description" in refused.value.error_dict["image"][0].messages[0]
    mygov.image = ImageFactory(description="myGov's logo")
    mygov.full_clean()
    mygov.image = None
    mygov.full_clean()


def solution_form(image, key):
    """What the editor sends for a new solution with `image` (management forms of its inline panels empty)."""
    data = {"title": f"Portal {key}", "slug": key, "key": key, "maturity": "pilot", "image": image.pk}
    for inline in ("key_figures", "adoptions"):
        data |= {f"{inline}-TOTAL_FORMS": 0, f"{inline}-INITIAL_FORMS": 0, f"{inline}-MIN_NUM_FORMS": 0}
        data[f"{inline}-MAX_NUM_FORMS"] = 1000
    return data


def test_the_editor_refuses_an_image_without_alt_text_on_its_field(small_world, media, admin_client):
    add = f"/admin/pages/add/solutions/solutionpage/{MemberPage.objects.get(key='cod').pk}/"

    refused = admin_client.post(add, solution_form(ImageFactory(description=""), "undescribed"))

    assert refused.status_code == 200
    errors = refused.context["form"].errors
    assert list(errors) == ["image"] and "no description" in errors["image"][0]
    assert not SolutionPage.objects.filter(key="undescribed").exists()
    accepted = admin_client.post(add, solution_form(ImageFactory(description="A portal's logo"), "described"))
    assert accepted.status_code == 302
    assert SolutionPage.objects.get(key="described").image.description == "A portal's logo"


def test_the_editor_offers_an_image_chooser(small_world, admin_client):
    html = admin_client.get(f"/admin/pages/{SolutionPage.objects.get(key='mygov').pk}/edit/").content.decode()
    assert 'name="image"' in html and 'data-wagtail-init="ImageChooser"' in html


def test_the_card_and_the_page_show_small_webp_renditions_with_their_alt_text(small_world, media, client):
    mygov = SolutionPage.objects.get(key="mygov")
    show_image([mygov], description="myGov: a white circle on blue", file__width=600, file__height=400)

    card = images(client.get("/solutions/").content.decode(), "card-image")
    page = images(client.get(mygov.url).content.decode(), "page-image")

    assert len(card) == len(page) == 1
    card, page = card[0], page[0]
    assert card["alt"] == page["alt"] == "myGov: a white circle on blue"
    assert card["loading"] == page["loading"] == "lazy"
    # At most 96 by 96 CSS pixels on a card, 320 by 320 on the page, proportions kept; twice that for dense screens.
    assert (card["width"], card["height"]) == ("96", "64") and card["sizes"] == "96px"
    assert (page["width"], page["height"]) == ("320", "213")
    assert card["src"].endswith(".max-96x96.format-webp.webp")
    assert card["srcset"].endswith(".max-192x192.format-webp.webp 192w")
    assert page["src"].endswith(".max-320x320.format-webp.webp")
    assert page["srcset"].endswith(".max-640x640.format-webp.webp 600w")  # never larger than the original
    # No image, no <img>.
    assert images(client.get(SolutionPage.objects.get(key="ekshop").url).content.decode(), "page-image") == []


def test_pages_with_images_keep_a_fixed_number_of_queries(
    small_world, media, many_solutions, client, django_assert_num_queries
):
    """The catalogue (whole and filtered), the home page and a solution's page, with 10 then 300 solutions, each
    with an image but ekShop: the images are read with the cards, and their renditions in one more query (Wagtail's
    renditions prefetched), whatever their number; a solution's page reads its own image and finds its renditions
    in Wagtail's rendition cache."""
    from solutions.services import refresh_similar_solutions

    mygov = SolutionPage.objects.get(key="mygov")
    filtered = "/solutions/?goal=1&goal=2&goal=3&goal=16&theme=e-services&theme=health&maturity=national"
    # The counts of tests/solutions/test_catalogue_page.py, test_catalogue_summary.py and test_solution_page.py,
    # plus the renditions (and on a solution's page, its image).
    pages = ((mygov.url, 21), ("/solutions/", 13), (filtered, 17), ("/", 18))
    counts = []
    for n, start in ((8, 0), (290, 8)):
        many_solutions(n, start=start)
        refresh_similar_solutions()
        show_image(SolutionPage.objects.filter(image=None).exclude(key="ekshop"))
        for url, count in pages:
            client.get(url)  # makes the renditions; keeps the catalogue's counts
            with django_assert_num_queries(count) as captured:
                html = client.get(url).content.decode()
            assert "format-webp.webp" in html, url
            counts.append(len(captured.captured_queries))
    assert counts[: len(pages)] == counts[len(pages) :]
    html = client.get("/solutions/").content.decode()
    listed = images(html, "card-image")
    assert html.count('<article class="card">') == 20 and len(listed) == 19  # ekShop's card has none
    assert all(image["alt"].endswith(": a blue square") for image in listed)
