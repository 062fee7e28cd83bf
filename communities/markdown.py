"""User-written Markdown → safe HTML: markdown-it-py renders, nh3 cleans.

Raw HTML in the source is not rendered; whatever comes out is cleaned again with an allow-list
(no scripts, no event handlers, only http(s)/mailto links), so a bug in one layer is not enough.
"""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_renderer = MarkdownIt(
    "commonmark", {"html": False, "linkify": False, "typographer": False}
).enable("table")
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h2", "h3",
    "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


def render_markdown(text: str, *, images_under: str | None = None) -> SafeString:
    """Safe HTML of ``text``. With ``images_under`` (a path such as ``/articles/4/files/``)
    images are kept, but only those whose source starts with it: an article shows its own
    uploaded images and never loads anything from elsewhere."""
    html = _renderer.render(text or "")
    for level in range(5, 0, -1):
        html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(
            f"</h{level}>", f"</h{level + 1}>"
        )
    tags, attributes = ALLOWED_TAGS, {"a": {"href", "title"}}
    if images_under:
        tags, attributes = tags | {"img"}, {**attributes, "img": {"src", "alt", "title"}}

    def only_own_images(element: str, attribute: str, value: str) -> str | None:
        if element == "img" and attribute == "src":
            own = value.startswith(images_under or "\0") and "//" not in value
            own = own and ".." not in value and "\\" not in value
            return value if own else None
        return value

    cleaned = nh3.clean(
        html,
        tags=tags,
        attributes=attributes,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        attribute_filter=only_own_images if images_under else None,
    )
    return mark_safe(cleaned)  # noqa: S308 - cleaned by nh3 with an allow-list
