"""The CSV export cannot run as a formula in a spreadsheet, whichever separator the
spreadsheet assumes and wherever a line break falls."""

from __future__ import annotations

import csv
import io

import pytest

from assessments.reports.csv import RISKY, safe


@pytest.mark.parametrize(
    "value, expected",
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t'=1"),
        ("＝1+1", "'＝1+1"),  # full-width equals sign
        ("North;=cmd|' /C calc'!A0", "North;'=cmd|' /C calc'!A0"),  # opened with ";"
        ("North; =1+1", "North; '=1+1"),
        ("North,=1+1", "North,'=1+1"),
        ("North|=1+1", "North|'=1+1"),
        ("North\n=1+1", "North =1+1"),  # a line break becomes a space: no new row
        ("North\r\n@SUM(A1)", "North @SUM(A1)"),
        ("North\u2028-1", "North -1"),
        ("Self-esteem", "Self-esteem"),  # a hyphen inside a word is left alone
        ("12", "12"),
        ("50%", "50%"),
    ],
)
def test_a_cell_is_neutralised_wherever_a_spreadsheet_could_start_a_cell(value, expected):
    assert safe(value) == expected


def cells_a_spreadsheet_sees(text: str, separator: str) -> list[str]:
    """Every cell of the file as a spreadsheet splitting on ``separator`` reads it,
    quotes honoured or not."""
    cells = []
    for line in text.splitlines():
        cells += next(csv.reader([line], delimiter=separator))
        cells += line.split(separator)
    return cells


@pytest.mark.parametrize("separator", [",", ";", "\t", "|"])
def test_no_cell_of_an_export_starts_a_formula_whatever_the_separator(separator, monkeypatch):
    from assessments.reports import csv as report_csv

    hostile = 'North;=cmd|"/C calc"!A0\n+SUM(1);-1,@x'
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    writer.writerow([report_csv.safe("# Team: " + hostile), report_csv.safe(hostile)])
    text = out.getvalue()
    assert text.count("\n") == 1  # the line break inside the value is gone
    for cell in cells_a_spreadsheet_sees(text, separator):
        stripped = cell.strip().strip('"').lstrip()
        assert not stripped or stripped[0] not in RISKY, (separator, cell)


def test_every_cell_of_the_export_is_quoted(login, supervisor, north, no_noise):
    from django.urls import reverse

    text = login(supervisor).get(reverse("assessments:report_csv")).content.decode()
    for line in text.splitlines():
        if line:
            assert line.startswith('"') and line.endswith('"'), line
