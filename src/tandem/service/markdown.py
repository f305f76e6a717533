"""Markdown from staff (FAQ answers) to HTML that is safe to show anyone: Markdown without
raw HTML (markdown-it's commonmark preset with ``html`` off), then nh3 (the Rust HTML
sanitiser) keeping only the tags Markdown makes and links to http(s) and mail addresses."""

import nh3
from markdown_it import MarkdownIt

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "code", "pre", "blockquote", "h3", "h4"}


def markdown_html(text: str) -> str:
    """Safe HTML for ``text`` (Markdown)."""
    return nh3.clean(
        _parser.render(text or ""),
        tags=TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener nofollow",
    )
