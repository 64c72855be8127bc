"""Slugs for pages made by the site itself (set-up, the agenda's workshops), next to pages editors may have made."""


def free_slug(parent, slug):
    """`slug`, or `slug-2`, `slug-3`... when another page under `parent` already has it (one query)."""
    taken = set(parent.get_children().filter(slug__startswith=slug).values_list("slug", flat=True))
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    return candidate
