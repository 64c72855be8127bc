"""Hostile text never reaches a page: sanitising on import, on save and on the way out."""

import re

import pytest

from network.catalogue.importer import import_catalogue
from solutions.models import SolutionPage
from ssn4psi.richtext import html_to_markdown, markdown_to_html, sanitise_html

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_world")]

HOSTILE = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<p onclick="steal()">text</p>',
    "[link](javascript:alert(1))",
    '<iframe src="https://evil.example"></iframe>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    "<svg><script>alert(1)</script></svg>",
    '<div style="background:url(javascript:alert(1))">x</div>',
]


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_rendering_drops_scripts_handlers_and_javascript_links(text):
    html = markdown_to_html(text).lower()
    assert "<script" not in html
    assert "onerror" not in html and "onclick" not in html
    assert "javascript:" not in html
    assert "<iframe" not in html and "style=" not in html


def test_safe_markup_survives():
    html = markdown_to_html("## How\n\nA **bold** [link](https://a2i.gov.bd/) and\n\n- one\n- two")
    assert "<h2>How</h2>" in html
    assert "<strong>bold</strong>" in html
    assert '<a href="https://a2i.gov.bd/" rel="noopener noreferrer">link</a>' in html
    assert "<li>one</li>" in html


@pytest.mark.parametrize(
    "markdown",
    [
        "Plain paragraph.",
        "One **bold** and *italic* word.\n\nSecond paragraph with a [link](https://example.org/x).",
        "## Heading\n\n- first\n- second\n\nBetween the lists.\n\n1. one\n2. two",
    ],
)
def test_html_to_markdown_round_trips(markdown):
    html = markdown_to_html(markdown)
    assert markdown_to_html(html_to_markdown(html)) == html


def test_sanitise_html_keeps_wagtail_page_links():
    html = sanitise_html('<p><a linktype="page" id="3">home</a></p>')
    assert html.startswith('<p><a linktype="page" id="3"') and html.endswith(">home</a></p>")


@pytest.mark.django_db
def test_hostile_import_never_reaches_the_page(small_world, client):
    document = {
        "format": "ssn4psi-catalogue/1",
        "solutions": [
            {
                "key": "hostile",
                "name": "Hostile <script>alert(1)</script>",
                "owner": "bgd-a2i",
                "summary": '<img src=x onerror="alert(1)">',
                "problem": "\n\n".join(HOSTILE),
                "description": '<a href="javascript:alert(1)">x</a> <p onmouseover="x()">y</p>',
            }
        ],
    }
    import_catalogue(document)
    page = SolutionPage.objects.get(key="hostile")
    assert "<script" not in page.problem and "javascript:" not in page.description

    html = client.get(page.url).content.decode().lower()

    body = html.split("<main", 1)[1]
    tags = re.findall(r"<[a-z][^>]*>", body)
    assert not [tag for tag in tags if tag.startswith(("<script", "<img", "<iframe"))]
    assert not [tag for tag in tags if re.search(r"\son[a-z]+\s*=", tag)]
    assert not [tag for tag in tags if "javascript:" in tag]
    assert "&lt;script&gt;" in body  # the title and summary are shown as text, escaped


@pytest.mark.django_db
def test_rich_text_saved_by_other_paths_is_sanitised_on_save(small_world):
    page = SolutionPage.objects.get(key="mygov")
    page.problem = '<p>ok</p><script>alert(1)</script><a href="javascript:x()">a</a>'
    page.save()
    page.refresh_from_db()
    assert "<script" not in page.problem and "javascript:" not in page.problem
