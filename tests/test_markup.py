"""The one renderer for user text: Markdown in, inert HTML out."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.test import override_settings

from portal.markup import (
    _USER_CLEANER,
    ALLOWED_TAGS,
    LINK_REL,
    MarkupTooLong,
    render_markdown,
    render_markdown_with_toc,
)

XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x]( javascript:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](javascript:alert(1))",
    "<iframe src=https://evil.example></iframe>",
    "<object data=x></object><embed src=x>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div class="admin" id="main">x</div>',
    "<style>body{display:none}</style>",
    '<form action="https://evil.example"><input name=x></form>',
    "<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    '<https://ok.example/" onmouseover="alert(1)>',
    '<a href="#" onclick="alert(1)">click</a>',
    "<meta http-equiv=refresh content='0;url=https://evil.example'>",
    "<base href=https://evil.example/>",
]


class ElementCollector(HTMLParser):
    """Collects the elements and attributes a browser would actually build from the HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements_of(html: str):
    collector = ElementCollector()
    collector.feed(html)
    collector.close()
    return collector.elements


@pytest.mark.parametrize("source", XSS_VECTORS)
def test_xss_vector_renders_inert(source):
    html = render_markdown(source)
    for tag, attrs in elements_of(html):
        assert tag in ALLOWED_TAGS, (source, html)
        for name, value in attrs.items():
            assert not name.startswith("on"), (source, html)
            assert name in {"href", "title", "rel", "align"}, (source, html)
            if name == "href":
                # As a browser reads it: tabs, newlines and spaces around are ignored.
                seen = re.sub(r"[\t\n\r ]", "", value or "")
                scheme = urlsplit(seen).scheme.lower()
                assert scheme in {"", "http", "https", "mailto"}, (source, html)
    # Whatever was stripped or escaped, no script can survive as markup.
    assert "<script" not in html.lower()


def test_the_issue_examples_render_as_text_not_code():
    assert render_markdown("<script>alert(1)</script>") == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    )
    link = render_markdown("[x](javascript:alert(1))")
    assert "href" not in link and ">x</a>" in link


def test_markdown_features_survive():
    html = render_markdown(
        "# Title\n\n*em* **strong** `code`\n\n- one\n- two\n\n> quoted\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n```\nblock\n```\n"
    )
    for tag in ("<h1>", "<em>", "<strong>", "<code>", "<ul>", "<li>", "<blockquote>",
                "<table>", "<td>", "<pre>"):  # fmt: skip
        assert tag in html


@pytest.mark.parametrize(
    "url", ["https://example.com/a?b=c", "http://example.com", "mailto:mods@example.com"]
)
def test_safe_links_are_kept_with_rel(url):
    html = render_markdown(f"[link]({url})")
    assert f'href="{url.replace("&", "&amp;")}"' in html
    assert f'rel="{LINK_REL}"' in html


def test_rendering_is_stable():
    text = "Hello **there** [a](https://example.com) <b>raw</b>"
    once = render_markdown(text)
    assert render_markdown(text) == once
    # Sanitizing the stored output again changes nothing: it is already clean.
    assert _USER_CLEANER.clean(once) == once


@override_settings(MARKDOWN_MAX_LENGTH=100)
def test_size_limit_is_a_clear_error():
    render_markdown("x" * 100)
    with pytest.raises(MarkupTooLong, match="101 characters long; the limit is 100"):
        render_markdown("x" * 101)


def test_guide_rendering_keeps_heading_ids_for_the_table_of_contents():
    html, headings = render_markdown_with_toc("## First part\n\ntext\n\n### Detail\n\n## Second")
    assert [(h.level, h.anchor, h.title) for h in headings] == [
        (2, "first-part", "First part"),
        (3, "detail", "Detail"),
        (2, "second", "Second"),
    ]
    assert '<h2 id="first-part">' in html
    # …and is as strict as user text about everything else.
    assert "<script" not in render_markdown_with_toc("<script>x</script>")[0]
