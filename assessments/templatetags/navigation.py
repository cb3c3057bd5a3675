"""``{% navigation %}``: the navigation bar of a signed-in page
(see assessments.rendering.navigation)."""

from django import template

from assessments.rendering import navigation as bars

register = template.Library()


@register.simple_tag(takes_context=True)
def navigation(context) -> str:
    return bars.bar(context["request"], str(context["csrf_token"]))
