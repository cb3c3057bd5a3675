"""The review's text, found beside the checkout, for tests that check quotes."""

import os
from pathlib import Path

PAPER_NAME = "001_fa9fd7b5e5269ca5.txt"


def find_paper() -> Path | None:
    """The review's text: $REVIEW_TEXT, else shared/seeds beside the checkout."""
    if os.environ.get("REVIEW_TEXT"):
        return Path(os.environ["REVIEW_TEXT"])
    here = Path(__file__).resolve()
    for folder in [*here.parents, Path("/work")]:
        candidate = folder / "shared" / "seeds" / PAPER_NAME
        if candidate.is_file():
            return candidate
    return None


def normalised(text: str) -> str:
    return " ".join(text.split())
