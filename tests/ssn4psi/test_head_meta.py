"""What the head of every public page tells search engines and link previews: a description, a canonical
address, Open Graph's title, description, type, address, site name and locale; escaped; none of it on personal
pages, which ask not to be indexed."""

from html.parser import HTMLParser

import pytest

from members.models import MemberPage
from solutions.models import SolutionPage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]

#: A title that breaks an attribute or a tag unless it is escaped.
TRICKY = "Say \"hi\" <b>now</b> & 'then'"


class HeadReader(HTMLParser):
    """The <meta> and <link> tags of a page's head: {name or property: [content...]}, {rel: [href...]}."""

    def __init__(self):
        super().__init__()
        self.meta, self.links, self.in_head = {}, {}, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif tag == "meta" and self.in_head and "content" in attrs:
            key = attrs.get("property") or attrs.get("name")
            self.meta.setdefault(key, []).append(attrs["content"])
        elif tag == "link" and self.in_head:
            self.links.setdefault(attrs.get("rel"), []).append(attrs.get("href"))

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False


def head(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    reader = HeadReader()
    reader.feed(response.content.decode())
    return reader


def single(reader, key):
    values = reader.meta.get(key, [])
    assert len(values) == 1, (key, values)
    return values[0]


@pytest.fixture
def workshop(make_workshop):
    return make_workshop(summary="a2i presents myGov and the SDG Tracker to DR Congo.")


def main_pages(workshop):
    """(url, title, description, og:type) of a page of each main kind."""
    mygov = SolutionPage.objects.get(key="mygov")
    a2i = MemberPage.objects.get(key="bgd-a2i")
    home_intro = "Governments of the global South share the public-service innovations that worked for them"
    return [
        ("/", "South-South Network for Public Service Innovation", home_intro, "website"),
        ("/solutions/", "Solutions", "Public-service innovations that worked", "website"),
        (mygov.url, "myGov", "All government services in one place.", "website"),
        ("/members/", "Members", "Governments, agencies and organisations", "website"),
        (a2i.url, "Aspire to Innovate (a2i)", "Bangladesh's innovation programme.", "website"),
        ("/workshops/", "Workshops", "Knowledge-sharing sessions, learning visits", "website"),
        (workshop.url, workshop.title, "a2i presents myGov and the SDG Tracker to DR Congo.", "website"),
        ("/sdg/", "The Sustainable Development Goals", "The 17 goals and 169 targets of the 2030 Agenda.", "website"),
        ("/sdg/16/", "Goal 16: Peace, justice and strong institutions", "Promote peaceful and inclusive", "website"),
        ("/data/", "Open data", "The public catalogue of the network, free to reuse", "website"),
        ("/search/?q=mygov", "Search", "Search the solutions, members, needs", "website"),
        ("/about/", "About the network", "The South-South Network for Public Service Innovation (SSN4PSI)", "article"),
        ("/privacy/", "Privacy notice", "What this site keeps about you", "article"),
    ]


def test_every_main_page_describes_itself(client, workshop):
    for url, title, description, og_type in main_pages(workshop):
        reader = head(client, url)
        address = "http://testserver" + url.split("?")[0]
        assert single(reader, "og:title") == title, url
        assert single(reader, "description").startswith(description), url
        assert single(reader, "og:description") == single(reader, "description"), url
        assert single(reader, "og:type") == og_type, url
        assert single(reader, "og:url") == address, url
        assert reader.links["canonical"] == [address], url
        assert single(reader, "og:site_name") == "SSN4PSI", url
        assert single(reader, "og:locale") == "en_GB", url
        assert reader.meta["og:locale:alternate"] == ["fr_FR", "es_ES", "ar_AR"], url
        assert "robots" not in reader.meta, url


def test_the_search_description_comes_first_and_long_text_is_clipped(client):
    mygov = SolutionPage.objects.get(key="mygov")
    mygov.search_description = "The one-stop portal of Bangladesh."
    mygov.save_revision().publish()
    assert single(head(client, mygov.url), "description") == "The one-stop portal of Bangladesh."
    a2i = MemberPage.objects.get(key="bgd-a2i")
    a2i.summary = "word " * 100
    a2i.save_revision().publish()
    description = single(head(client, a2i.url), "description")
    assert len(description) == 200 and description.endswith("…")


def test_titles_and_descriptions_are_escaped(client, make_workshop):
    mygov = SolutionPage.objects.get(key="mygov")
    mygov.title, mygov.summary = TRICKY, f"Summary: {TRICKY}"
    mygov.save_revision().publish()
    workshop = make_workshop(title=TRICKY, summary=TRICKY)
    for url in (mygov.url, workshop.url):
        html = client.get(url).content.decode()
        head_html = html[: html.index("</head>")]
        assert "<b>" not in head_html and '"hi"' not in head_html, url
        assert 'content="Say &quot;hi&quot; &lt;b&gt;now&lt;/b&gt; &amp; &#x27;then&#x27;"' in head_html, url
        reader = head(client, url)
        assert single(reader, "og:title") == TRICKY  # read back whole: nothing broke out of the attribute
        assert TRICKY in single(reader, "og:description")


def test_a_page_number_stays_in_the_canonical_address_and_filters_do_not(client):
    reader = head(client, "/solutions/?goal=16&theme=e-services")
    assert reader.links["canonical"] == ["http://testserver/solutions/"]
    reader = head(client, "/members/?page=1")
    assert reader.links["canonical"] == ["http://testserver/members/"]
    assert head(client, "/members/?page=2").links["canonical"] == ["http://testserver/members/?page=2"]
    for bad in ("abc", "-2", "99999999999", "²", "9" * 5000, "0"):
        assert head(client, f"/solutions/?page={bad}").links["canonical"] == ["http://testserver/solutions/"]


def test_the_address_is_on_the_host_asked(client, settings):
    settings.ALLOWED_HOSTS = ["ssn4psi.example.org"]
    response = client.get("/solutions/", HTTP_HOST="ssn4psi.example.org", secure=True)
    reader = HeadReader()
    reader.feed(response.content.decode())
    assert reader.links["canonical"] == ["https://ssn4psi.example.org/solutions/"]
    assert single(reader, "og:url") == "https://ssn4psi.example.org/solutions/"


def test_the_locale_follows_the_language(client):
    client.cookies["ssn4psi_language"] = "ar"
    reader = head(client, "/solutions/")
    assert single(reader, "og:locale") == "ar_AR"
    assert reader.meta["og:locale:alternate"] == ["en_GB", "fr_FR", "es_ES"]


def test_personal_pages_and_errors_ask_not_to_be_indexed(client, workshop):
    from workshops import services
    from workshops.tokens import make_token

    registration = services.register(
        workshop, name="Amina", email="amina@gouv.cd", organisation="Ministère", privacy_consent=True
    )
    for url, status in (
        (f"/registrations/manage/{make_token(registration, 'manage')}/", 200),
        (f"/registrations/manage/{make_token(registration, 'manage')}/data/", 200),
        (f"/workshops/{workshop.pk}/links/", 200),
        ("/no-such-page/", 404),
    ):
        response = client.get(url)
        assert response.status_code == status, url
        reader = HeadReader()
        reader.feed(response.content.decode())
        assert reader.meta.get("robots") == ["noindex"], url
        assert "og:title" not in reader.meta and "canonical" not in reader.links, url


def test_a_page_template_can_add_an_image(client, rf):
    from django.template import Context, Template

    template = Template(
        '{% extends "base.html" %}{% load ssn4psi_tags %}'
        '{% block og_image %}<meta property="og:image" content="{% absolute_url "/media/x.png" %}">{% endblock %}'
    )
    request = rf.get("/somewhere/")
    html = template.render(Context({"request": request}))
    assert '<meta property="og:image" content="http://testserver/media/x.png">' in html
