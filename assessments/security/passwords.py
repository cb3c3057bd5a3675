from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


class DistinctCharactersValidator:
    """Refuse passwords made of a few characters repeated ("aaaaaaaaaaaa",
    "abababababab"), which pass a length rule but fall to the first guesses."""

    def __init__(self, min_distinct: int = 6):
        self.min_distinct = min_distinct

    def validate(self, password: str, user=None) -> None:
        if len(set(password)) < self.min_distinct:
            raise ValidationError(self.get_help_text(), code="password_too_repetitive")

    def get_help_text(self) -> str:
        return ngettext(
            "Your password must use at least %(count)d different character.",
            "Your password must use at least %(count)d different characters.",
            self.min_distinct,
        ) % {"count": self.min_distinct}
