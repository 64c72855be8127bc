"""A member's image (its logo): refused without alt text (its description in the image library); shown on its page
and in the directory as small WebP renditions with their alt text; the directory and the member page with images
keep a fixed number of queries."""

import pytest
from django.core.exceptions import ValidationError

from members.models import MemberIndexPage, MemberPage
from solutions.models import SolutionPage
from tests.factories import ImageFactory, MemberPageFactory
from tests.images import images, show_image

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]


def test_an_image_without_alt_text_is_refused(small_world, media):
    a2i = MemberPage.objects.get(key="bgd-a2i")
    a2i.image = ImageFactory(description="")

    with pytest.raises(ValidationError) as refused:
        a2i.full_clean()

    assert list(refused.value.error_dict) == ["image"]
    a2i.image = ImageFactory(description="a2i's logo")
    a2i.full_clean()


def test_the_editor_refuses_an_image_without_alt_text_on_its_field(small_world, media, admin_client):
    add = f"/admin/pages/add/members/memberpage/{MemberIndexPage.objects.get().pk}/"

    def form(image, key):
        management = {"needs-TOTAL_FORMS": 0, "needs-INITIAL_FORMS": 0, "needs-MIN_NUM_FORMS": 0}
        fields = {"title": key, "slug": key, "key": key, "kind": "national_government", "country": "KEN"}
        return fields | management | {"needs-MAX_NUM_FORMS": 1000, "image": image.pk}

    refused = admin_client.post(add, form(ImageFactory(description=""), "kenya"))

    assert refused.status_code == 200
    assert list(refused.context["form"].errors) == ["image"]
    assert not MemberPage.objects.filter(key="kenya").exists()
    assert admin_client.post(add, form(ImageFactory(description="Kenya's coat of arms"), "kenya")).status_code == 302
    assert MemberPage.objects.get(key="kenya").image.description == "Kenya's coat of arms"


def test_the_directory_and_the_page_show_the_logo_with_its_alt_text(small_world, media, client):
    a2i = MemberPage.objects.get(key="bgd-a2i")
    show_image([a2i], description="a2i's logo: a white circle on blue", file__width=400, file__height=400)

    listed = images(client.get("/members/").content.decode(), "card-image")
    shown = images(client.get(a2i.url).content.decode(), "page-image")

    assert [(image["alt"], image["width"], image["height"], image["loading"]) for image in listed] == [
        ("a2i's logo: a white circle on blue", "96", "96", "lazy")
    ]
    assert [(image["alt"], image["width"], image["height"], image["loading"]) for image in shown] == [
        ("a2i's logo: a white circle on blue", "320", "320", "lazy")
    ]
    assert listed[0]["src"].endswith(".max-96x96.format-webp.webp")
    assert shown[0]["src"].endswith(".max-320x320.format-webp.webp")


def test_the_directory_and_a_member_page_with_images_keep_a_fixed_number_of_queries(
    small_world, media, many_solutions, client, django_assert_num_queries
):
    """The directory with 6 then 40 members (a full page of 30), and a2i's page with 2 then 10 solutions of its own,
    every member and solution with an image: the images come with the members or the cards, their renditions in
    one more query whatever their number; the member page reads its own image and finds its renditions in
    Wagtail's rendition cache. The counts of tests/members/test_member_pages.py plus those."""
    a2i = MemberPage.objects.get(key="bgd-a2i")
    counts = []
    for members, solutions in ((0, 0), (34, 16)):
        for number in range(members):
            MemberPageFactory(key=f"member-{number}", title=f"Member {number:02d}", country="KEN")
        many_solutions(solutions)
        show_image(MemberPage.objects.filter(image=None))
        show_image(SolutionPage.objects.filter(image=None))
        for url, count in (("/members/", 11), (a2i.url, 20)):
            client.get(url)  # makes the renditions
            with django_assert_num_queries(count) as captured:
                html = client.get(url).content.decode()
            counts.append(len(captured.captured_queries))
        assert len(images(html, "card-image")) == len(SolutionPage.objects.live().offered_by(a2i)[:12])
    assert counts[:2] == counts[2:]
    assert len(images(client.get("/members/").content.decode(), "card-image")) == 30
