"""Text that arrives from outside (imports, public forms, the API) becomes safe HTML here.

The catalogue format carries plain text or Markdown, never trusted HTML: Markdown is rendered, then every
tag, attribute and URL scheme outside a short allow-list is dropped by nh3 (the Ammonia sanitiser), so
`<script>`, `on*=` handlers and `javascript:` links never reach a page. The allow-list matches the rich
text features the Wagtail editor offers (settings.WAGTAILADMIN_RICH_TEXT_EDITORS).
"""

import re

import markdown
import nh3

ALLOWED_TAGS = {"p", "br", "h2", "h3", "h4", "b", "strong", "i", "em", "ul", "ol", "li", "a", "hr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "linktype", "id"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def sanitise_html(html):
    """Return `html` with only the allowed tags, attributes and link schemes left."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def markdown_to_html(text):
    """Render plain text or Markdown to sanitised HTML (raw HTML in the source is not trusted)."""
    if not text:
        return ""
    return sanitise_html(markdown.markdown(text, output_format="html"))


def html_to_text(html):
    """The text of `html` without tags, for summaries and exports."""
    return " ".join(nh3.clean(html or "", tags=set()).split())


class _MarkdownWriter:
    """Turns the sanitised HTML subset above back into Markdown, for exports."""

    def __init__(self):
        self.out, self.lists, self.link = [], [], None

    def handle(self, html):
        from html.parser import HTMLParser

        writer = self

        class Parser(HTMLParser):
            def handle_starttag(self, tag, attrs):
                writer.start(tag, dict(attrs))

            def handle_endtag(self, tag):
                writer.end(tag)

            def handle_data(self, data):
                writer.out.append(re.sub(r"\s+", " ", data))

        parser = Parser(convert_charrefs=True)
        parser.feed(html)
        parser.close()
        text = re.sub(r"\n (?=[^ ])", "\n", "".join(self.out))
        text = "\n".join(line.rstrip() for line in text.split("\n"))
        return re.sub(r"\n{3,}", "\n\n", text).strip()

    def start(self, tag, attrs):
        if tag in ("h2", "h3", "h4"):
            self.out.append("\n\n" + "#" * int(tag[1]) + " ")
        elif tag == "p":
            # A paragraph inside a list item continues the item's line.
            self.out.append("" if self.lists else "\n\n")
        elif tag in ("b", "strong"):
            self.out.append("**")
        elif tag in ("i", "em"):
            self.out.append("*")
        elif tag in ("ul", "ol"):
            self.lists.append([tag, 0])
            self.out.append("\n" if len(self.lists) == 1 else "")
        elif tag == "li":
            kind = self.lists[-1] if self.lists else ["ul", 0]
            kind[1] += 1
            indent = "    " * (len(self.lists) - 1)
            self.out.append(f"\n{indent}{kind[1]}. " if kind[0] == "ol" else f"\n{indent}- ")
        elif tag == "a":
            self.link = attrs.get("href", "")
            self.out.append("[")
        elif tag == "br":
            self.out.append("  \n")
        elif tag == "hr":
            self.out.append("\n\n---\n\n")

    def end(self, tag):
        if tag in ("h2", "h3", "h4") or (tag == "p" and not self.lists):
            self.out.append("\n\n")
        elif tag in ("b", "strong"):
            self.out.append("**")
        elif tag in ("i", "em"):
            self.out.append("*")
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self.out.append("\n\n" if not self.lists else "")
        elif tag == "a":
            self.out.append(f"]({self.link})" if self.link else "]")
            self.link = None


def html_to_markdown(html):
    """Markdown for HTML made of the allowed tags: markdown_to_html(html_to_markdown(h)) gives h back."""
    if not html:
        return ""
    return _MarkdownWriter().handle(sanitise_html(html))
