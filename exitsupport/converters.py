class ConsentKind:
    """The two consents a client gives: to have data recorded, and to statistics."""

    regex = "data|stats"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
