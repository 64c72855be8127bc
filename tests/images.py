"""Images in the tests: give pages an image of their own, and read back the <img> tags a page shows."""

import re
from html import unescape

from ssn4psi.page_cache import content_changed
from tests.factories import ImageFactory

#: An <img> tag, such as Wagtail's {% image %} and {% srcset_image %} write.
IMG = re.compile(r"<img ([^>]*)>")


def images(html, css_class):
    """The attributes of each <img> of `css_class` in `html`, as dictionaries of their values unescaped, in order."""
    found = [
        {name: unescape(value) for name, value in re.findall(r'([\w-]+)="([^"]*)"', attributes)}
        for attributes in IMG.findall(html)
    ]
    return [attributes for attributes in found if attributes.get("class") == css_class]


def show_image(pages, **image):
    """Give each of `pages` an image of its own (ImageFactory(**image)) in its published state: a row update, as an
    import writes, and the pages kept in the cache forgotten. Needs the `media` fixture."""
    for page in pages:
        type(page).objects.filter(pk=page.pk).update(image=ImageFactory(**image))
    content_changed()
