"""Wagtail's admin without inline scripts, so that its Content-Security-Policy can refuse them.

Wagtail 8 starts a few of its widgets with a one-line inline script that calls a constructor with data: the
inline panels (`new InlinePanel(JSON.parse("..."))`), the choosers (`new PageChooser("id_member", {...})`,
written by `BaseChooser.render()` in Python) and the date and time pickers (`initDateChooser("id", {...})`).
`as_data()` rewrites each of those, and only those, into a data block::

    <script type="application/json" data-wagtail-init="PageChooser" data-wagtail-init-new>["id_member", {...}]</script>

which the browser never runs, and `ssn4psi/static/js/admin-init.js` (loaded on every admin page by
ssn4psi.wagtail_hooks) makes the same call from a file: for the blocks in the page once it is parsed, then for
those that Wagtail inserts later (a new inline form, a chooser modal). A script is rewritten only when it is
exactly one call of a known Wagtail initialiser (INITIALISER) whose arguments are JSON, which is what these
scripts are; any other inline script is left as it is, for the policy to block, and named by `as_data()` so that
the middleware can log it. Markup that someone slipped into the admin can at most start a Wagtail widget with
data, as Wagtail's own `data-controller` attributes let it; it cannot run code.
"""

import json
import re

#: The functions and constructors a data block may name: Wagtail's panels, pickers and choosers. The same list is
#: in admin-init.js.
INITIALISER = re.compile(
    r"(?:InlinePanel|MultipleChooserPanel|init(?:Date|Time|DateTime)Chooser|[A-Z][A-Za-z]*Chooser)"
)

_SCRIPT = re.compile(r"<script(?P<attributes>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
#: `new Name(arguments);` or `name(arguments);`, as the choosers and the pickers write it.
_CALL = re.compile(r"\s*(?P<new>new\s+)?(?P<name>[A-Za-z_$][\w$]*)\((?P<arguments>.*)\)\s*;?\s*", re.S)
#: `(function() { var panel = new Name(JSON.parse("...")); })();`, as the inline panels write it.
_PANEL = re.compile(
    r"\s*\(function\s*\(\)\s*\{\s*var\s+\w+\s*=\s*new\s+(?P<name>[A-Za-z_$][\w$]*)"
    r"\(JSON\.parse\((?P<argument>\"(?:[^\"\\]|\\.)*\")\)\)\s*;?\s*\}\)\(\)\s*;?\s*",
    re.S,
)
#: Attributes an inline script to rewrite may have: none, or the type JavaScript already is.
_PLAIN = re.compile(r"\s*(?:type\s*=\s*([\"']?)(?:text|application)/javascript\1\s*)?", re.I)
#: As Django's json_script: nothing in the block can end it or start markup.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _call(body):
    """(name, is_constructor, arguments) when `body` is one call of an initialiser with JSON arguments, else None."""
    if panel := _PANEL.fullmatch(body):
        try:
            arguments = [json.loads(json.loads(panel["argument"]))]
        except ValueError:
            return None
        return panel["name"], True, arguments
    if call := _CALL.fullmatch(body):
        try:
            arguments = json.loads(f"[{call['arguments']}]")
        except ValueError:
            return None
        return call["name"], bool(call["new"]), arguments
    return None


def _block(name, construct, arguments):
    data = json.dumps(arguments).translate(_JSON_ESCAPES)
    new = " data-wagtail-init-new" if construct else ""
    return f'<script type="application/json" data-wagtail-init="{name}"{new}>{data}</script>'


def as_data(html):
    """`html` with each of Wagtail's initialiser scripts rewritten as a data block, and the inline scripts left as
    they were (their first 80 characters), which a policy without 'unsafe-inline' blocks."""
    left = []

    def rewrite(match):
        if not _PLAIN.fullmatch(match["attributes"]):
            return match[0]  # a file (src), data (JSON), a template: nothing to run inline
        found = _call(match["body"])
        if found is None or not INITIALISER.fullmatch(found[0]):
            if match["body"].strip():
                left.append(" ".join(match["body"].split())[:80])
            return match[0]
        return _block(*found)

    return _SCRIPT.sub(rewrite, html), left


def json_as_data(document):
    """as_data() applied to every string in a decoded JSON document (the admin's modal steps carry their HTML in
    one), with what it left."""
    left = []

    def rewrite(value):
        if isinstance(value, str):
            html, found = as_data(value)
            left.extend(found)
            return html
        if isinstance(value, list):
            return [rewrite(item) for item in value]
        if isinstance(value, dict):
            return {key: rewrite(item) for key, item in value.items()}
        return value

    return rewrite(document), left
