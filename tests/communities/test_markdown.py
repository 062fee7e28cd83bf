"""User-written Markdown becomes safe HTML (communities/markdown.py)."""

from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from django.utils.safestring import SafeString
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from communities.markdown import render_markdown

REL = 'rel="noopener noreferrer nofollow"'


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"),
        (
            "hi <script>alert(1)</script> there",
            "<p>hi &lt;script&gt;alert(1)&lt;/script&gt; there</p>\n",
        ),
        ("<img src=x onerror=alert(1)>", "<p>&lt;img src=x onerror=alert(1)&gt;</p>\n"),
        (
            '<a href="https://e.org" onclick="x()">a</a>',
            '<p>&lt;a href="https://e.org" onclick="x()"&gt;a&lt;/a&gt;</p>\n',
        ),
        ("<b>bold</b>", "<p>&lt;b&gt;bold&lt;/b&gt;</p>\n"),
        ("<div>\nblock\n</div>", "<p>&lt;div&gt;\nblock\n&lt;/div&gt;</p>\n"),
    ],
    ids=["script", "inline-script", "img-onerror", "a-onclick", "inline-html", "block-html"],
)
def test_render_markdown_escapes_raw_html(source, html):
    assert render_markdown(source) == html


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("[x](javascript:alert(1))", "<p>[x](javascript:alert(1))</p>\n"),
        ("[x](JaVaScRiPt:alert(1))", "<p>[x](JaVaScRiPt:alert(1))</p>\n"),
        ("[x](vbscript:msgbox(1))", "<p>[x](vbscript:msgbox(1))</p>\n"),
        ("[x](data:text/html,hi)", "<p>[x](data:text/html,hi)</p>\n"),
        # A tab entity inside the scheme is percent-encoded: no longer a scheme, a relative path.
        (
            "[x](java&#x09;script:alert(1))",
            f'<p><a href="java%09script:alert(1)" {REL}>x</a></p>\n',
        ),
    ],
    ids=["javascript", "mixed-case", "vbscript", "data", "entity-in-scheme"],
)
def test_render_markdown_refuses_script_links(source, html):
    assert render_markdown(source) == html


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("[x](https://example.org)", f'<p><a href="https://example.org" {REL}>x</a></p>\n'),
        ("[x](mailto:a@b.org)", f'<p><a href="mailto:a@b.org" {REL}>x</a></p>\n'),
        (
            '[x](https://e.org "t")',
            f'<p><a href="https://e.org" title="t" {REL}>x</a></p>\n',
        ),
        (
            "<https://example.org>",
            f'<p><a href="https://example.org" {REL}>https://example.org</a></p>\n',
        ),
    ],
    ids=["https", "mailto", "title", "autolink"],
)
def test_render_markdown_links_get_rel_noopener(source, html):
    assert render_markdown(source) == html


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("# One", "<h2>One</h2>\n"),
        ("## Two", "<h3>Two</h3>\n"),
        ("### Three", "<h4>Three</h4>\n"),
        ("#### Four", "<h5>Four</h5>\n"),
        ("##### Five", "<h6>Five</h6>\n"),
        ("###### Six", "<h6>Six</h6>\n"),
        ("Setext\n===", "<h2>Setext</h2>\n"),
    ],
)
def test_render_markdown_shifts_headings_down_one_level(source, html):
    """The page owns the h1; a description's headings start at h2."""
    assert render_markdown(source) == html


def test_render_markdown_keeps_ordinary_formatting():
    assert render_markdown("**b** _e_ `c`\n\n- one\n- two\n\n> quote") == (
        "<p><strong>b</strong> <em>e</em> <code>c</code></p>\n"
        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
        "<blockquote>\n<p>quote</p>\n</blockquote>\n"
    )


def test_render_markdown_renders_tables():
    assert render_markdown("| a | b |\n|---|---|\n| 1 | 2 |") == (
        "<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n"
        "<tbody>\n<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>\n"
    )


def test_render_markdown_drops_images():
    """No external loads from user text (tracking pixels; CSP allows only our own images)."""
    assert render_markdown("![pixel](https://tracker.example/p.png)") == "<p></p>\n"


@pytest.mark.parametrize("source", ["", None])
def test_render_markdown_of_nothing_is_empty(source):
    assert render_markdown(source) == ""


def test_render_markdown_returns_safe_string_for_templates():
    assert isinstance(render_markdown("x"), SafeString)
    rendered = Template("{% load markdown %}{{ text|markdown }}").render(
        Context({"text": "**b** <i>"})
    )
    assert rendered == "<p><strong>b</strong> &lt;i&gt;</p>\n"


# --- property: nothing that executes ever comes out ------------------------------------------


class _Tags(HTMLParser):
    """Collects the elements and attributes a browser would build from the HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def _parse(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser.tags


def _scheme(url: str) -> str:
    """The scheme a browser would see: control characters and whitespace are ignored."""
    cleaned = "".join(ch for ch in url if ord(ch) > 0x20 and ch != "\x7f").lower()
    return cleaned.split(":", 1)[0] if ":" in cleaned else ""


DANGEROUS = st.sampled_from(
    [
        "<script>",
        "</script>",
        "<SCRIPT src=//e.org/x.js>",
        "javascript:",
        "JavaScript:",
        "java\tscript:",
        "&#106;avascript:",
        "&#x6A;avascript:",
        "vbscript:",
        "data:text/html,",
        " onerror=",
        ' onclick="',
        " onmouseover=",
        "<img src=x",
        "<a href=",
        "<svg onload=alert(1)>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        '<a onclick="alert(1)" href="https://e.org">x</a>',
        "<script>alert(1)</script>",
        "<iframe src=https://e.org></iframe>",
        "[x](",
        "](",
        "![i](",
        ")",
        '"',
        "'",
        "<",
        ">",
        "&",
        "\n",
        "\n\n",
        "# ",
        "`",
        "```\n",
        "<https://",
        "<!--",
        "-->",
        "\x00",
    ]
)
MARKDOWNISH = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(DANGEROUS, st.text(max_size=8)), max_size=25).map("".join),
)


@settings(max_examples=400, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(MARKDOWNISH)
def test_render_markdown_never_outputs_executable_html(text):
    html = str(render_markdown(text))

    assert "<script" not in html.lower()
    for tag, attrs in _parse(html):
        assert tag not in {"script", "img", "svg", "iframe", "style", "object", "embed"}, html
        for name, value in attrs:
            assert not name.startswith("on"), html
            if name in {"href", "src"}:
                assert _scheme(value or "") in {"", "http", "https", "mailto"}, html
        if tag == "a":
            assert ("rel", "noopener noreferrer nofollow") in attrs, html
