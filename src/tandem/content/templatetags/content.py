from django import template
from django.core.cache import caches
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tandem.content.selectors import footer_pages
from tandem.service.markdown import markdown_html

register = template.Library()

# Footer links are read at most this often per process and language: an edit of a page's
# footer flag shows within a minute (and within the storefront chrome's own cache time).
FOOTER_SECONDS = 60


@register.filter
def content_markdown(text: str) -> str:
    """Safe HTML for Markdown written by staff (``service.markdown``)."""
    return mark_safe(markdown_html(text))  # noqa: S308 - sanitised by nh3


@register.simple_tag
def footer_links() -> str:
    """Links to the articles and to the published footer pages, in the active language."""
    language = get_language() or ""
    key = f"content:footer:{language}"
    local = caches["local"]
    html = local.get(key)
    if html is None:
        links = [(reverse("content:articles"), _("Articles"))] + [
            (page.get_absolute_url(), page.tr("title")) for page in footer_pages()
        ]
        html = str(format_html_join(" · ", '<a href="{}">{}</a>', links))
        local.set(key, html, FOOTER_SECONDS)
    # built above with format_html_join (escaped), kept as a plain string by the cache
    return format_html('<span data-testid="footer-links">{}</span>', mark_safe(html))  # noqa: S308
