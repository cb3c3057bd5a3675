"""``{% head_links %}``: the stylesheets, icon and scripts of every page
(see assessments.rendering.page_head)."""

from django import template

from assessments.rendering import page_head

register = template.Library()


@register.simple_tag
def head_links() -> str:
    return page_head.links()
