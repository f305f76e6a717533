from django import template
from django.utils.safestring import mark_safe

from tandem.service.markdown import markdown_html

register = template.Library()


@register.filter
def markdown(text: str) -> str:
    """Safe HTML for Markdown written by staff (``service.markdown``)."""
    return mark_safe(markdown_html(text))  # noqa: S308 - sanitised by nh3
