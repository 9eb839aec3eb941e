"""The one way user text becomes HTML.

Everything people write on Modhall (bios, openings, applications, forum posts) and the guide
library itself is Markdown, rendered here once when it is saved and stored as HTML; pages
never render Markdown per request.

Markdown alone is not safe: it passes links like ``javascript:alert(1)`` straight through,
and its raw-HTML feature would let anyone inject script. So raw HTML is switched off in the
parser, and the output then goes through nh3 (an allowlist sanitizer, the maintained
successor to bleach) that keeps only the tags Markdown itself produces, only http, https and
mailto links, and no style, class or event attributes. Links get
``rel="nofollow ugc noopener"``: they are user content and must not lend the site's
reputation to spam or reach back into the opener page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import markdown
import nh3
from django.conf import settings
from django.core.exceptions import ValidationError

ALLOWED_TAGS = {
    "p", "br", "hr", "em", "strong", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td", "del",
}  # fmt: skip
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"
# Trusted guide content also keeps heading ids, for its table of contents. Heading ids are
# not allowed in user text, where they could collide with the page's own element ids.
HEADING_TAGS = ("h2", "h3")

_MARKDOWN_EXTENSIONS = ["tables", "fenced_code", "sane_lists"]


class MarkupTooLong(ValueError):
    """The text is longer than the site accepts."""


@dataclass(frozen=True)
class Heading:
    level: int
    anchor: str
    title: str


_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\s\x00-\x1f\x7f]+")


def _href_filter(tag: str, attribute: str, value: str) -> str | None:
    """Drop an href that only looks relative: browsers ignore tabs and newlines in URLs, and
    "java\tscript:" must not slip past the scheme allowlist as a relative link."""
    if attribute == "href":
        match = _SCHEME.match(_INVISIBLE.sub("", value))
        if match and match.group(1).lower() not in ALLOWED_URL_SCHEMES:
            return None
    return value


def _cleaner(*, heading_ids: bool) -> nh3.Cleaner:
    attributes: dict[str, set[str]] = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
    if heading_ids:
        attributes.update({tag: {"id"} for tag in HEADING_TAGS})
    return nh3.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=attributes,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
        attribute_filter=_href_filter,
        # Drop the content of these too, not only the tags: the text of a <script> is never
        # meant to be read.
        clean_content_tags={"script", "style"},
    )


_USER_CLEANER = _cleaner(heading_ids=False)
_GUIDE_CLEANER = _cleaner(heading_ids=True)


def _parser(*, toc: bool) -> markdown.Markdown:
    extensions = list(_MARKDOWN_EXTENSIONS)
    if toc:
        extensions.append("toc")
    md = markdown.Markdown(extensions=extensions, output_format="html")
    # Raw HTML off: "<b>" in a post is shown as text, never parsed as a tag.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


def check_length(text: str) -> None:
    limit = settings.MARKDOWN_MAX_LENGTH
    if len(text) > limit:
        raise MarkupTooLong(f"This text is {len(text):,} characters long; the limit is {limit:,}.")


def render_markdown(text: str) -> str:
    """Render a person's Markdown to safe HTML. Raises MarkupTooLong past the size limit."""
    check_length(text)
    html = _parser(toc=False).convert(text)
    return _USER_CLEANER.clean(html)


def render_markdown_with_toc(text: str) -> tuple[str, list[Heading]]:
    """Render trusted guide Markdown, keeping ids on ## and ### headings for a table of
    contents; returns the HTML and the headings in order."""
    check_length(text)
    md = _parser(toc=True)
    html = md.convert(text)
    headings: list[Heading] = []

    def walk(tokens: list[dict]) -> None:
        for token in tokens:
            if token["level"] in (2, 3):
                headings.append(Heading(token["level"], token["id"], token["name"]))
            walk(token["children"])

    walk(md.toc_tokens)  # type: ignore[attr-defined]
    return _GUIDE_CLEANER.clean(html), headings


def validate_markdown(text: str) -> None:
    """Form and model validator: the size error shown beside the field."""
    try:
        check_length(text)
    except MarkupTooLong as exc:
        raise ValidationError(str(exc), code="too_long") from exc
