import os

import pytest

from tests.factors.paper import PAPER_NAME, find_paper


@pytest.fixture(scope="module")
def paper() -> str:
    path = find_paper()
    if path is None or not path.is_file():
        message = f"the review's text ({PAPER_NAME}) is not on this machine; set REVIEW_TEXT"
        if os.environ.get("REQUIRE_REVIEW_TEXT"):
            pytest.fail(message)
        pytest.skip(message)
    return " ".join(path.read_text(encoding="utf-8").split())
