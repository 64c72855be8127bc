"""A page's image (a member's logo, a solution's picture): its alt text, and the sizes it is shown at.

An image's alt text is its description in Wagtail's image library (Wagtail 8's `Image.description`, which the
`{% image %}` tags write as `alt`), so it is written once for every page that shows the image. A page refuses an
image without one (`validate_image_alt`).

Pages show images as small WebP renditions, for slow lines: cards and lists at 96 CSS pixels, a page's own image
at 320, each with a rendition twice as large for high-density screens (`srcset`). A listing reads its images with
their renditions in one more query whatever its length (`with_images`); the templates ask for exactly the
renditions named here.
"""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model

#: The renditions of an image on a card or in a list ({% srcset_image image max-{96x96,192x192} format-webp %}).
CARD_RENDITIONS = ("max-96x96|format-webp", "max-192x192|format-webp")
#: The renditions of a page's own image ({% srcset_image image max-{320x320,640x640} format-webp %}).
PAGE_RENDITIONS = ("max-320x320|format-webp", "max-640x640|format-webp")


def validate_image_alt(page, field="image"):
    """Refuse `page`'s image (its field `field`) when the image has no description, which is its alt text: a
    ValidationError on that field, for the editor's form (Page.clean())."""
    image = getattr(page, field)
    if image is not None and not (image.description or "").strip():
        raise ValidationError(
            {
                field: _(
                    "This image has no description, which is what people who cannot see it hear or read instead "
                    "(its alt text). Describe it in the image library (Edit this image, then Description), or "
                    "choose another image."
                )
            }
        )


def with_images(queryset, renditions=CARD_RENDITIONS, field="image"):
    """`queryset` with each row's image (its foreign key `field`) read in the same query and the image's
    `renditions` prefetched, as Wagtail's documentation on prefetching renditions does it, only those named: one
    more query for the whole list, none when no row has an image. A rendition that was never made is made when a
    page first shows it (Wagtail's get_rendition())."""
    named = get_image_model().get_rendition_model().objects.filter(filter_spec__in=renditions)
    return queryset.select_related(field).prefetch_related(Prefetch(f"{field}__renditions", queryset=named))
