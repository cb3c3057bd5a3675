"""Dates and numbers follow the language: templates use the locale's named
formats (DATE_FORMAT, SHORT_DATE_FORMAT, DATETIME_FORMAT...) rather than a
format string written for English."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

HARD_CODED = re.compile(r'\|date:"(?![A-Z_]+_FORMAT")([^"]*)"|{% now "(?![A-Z_]+_FORMAT")([^"]*)"')


def hard_coded_date_formats() -> list[str]:
    found = []
    for path in sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in HARD_CODED.finditer(line):
                where = path.relative_to(settings.BASE_DIR)
                found.append(f"{where}:{number}: {match.group(0)}")
    return found


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en-gb", "20 Nov 2026"), ("es", "20 de noviembre de 2026"), ("ne", "नभम्वर 20, 2026")],
)
def test_the_named_date_formats_follow_the_language(language, expected):
    template = Template('{{ day|date:"DATE_FORMAT" }} {{ n }}')
    with translation.override(language):
        text = template.render(Context({"day": dt.date(2026, 11, 20), "n": 1234.5}))
    assert expected in text


def test_templates_use_named_date_formats():
    found = hard_coded_date_formats()
    assert not found, f"{len(found)} hard-coded date formats:\n" + "\n".join(found)
