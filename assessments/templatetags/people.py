from django import template

register = template.Library()


@register.filter
def display_name(user, empty: str = "—") -> str:
    """A user's full name, else username; ``empty`` when there is no user."""
    if user is None:
        return empty
    return user.get_full_name() or user.get_username()
