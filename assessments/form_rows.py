"""The assessment form's factor rows, written as HTML in Python.

A form has 30-odd factor rows of some twenty values each (ids, labels,
answers, errors, the answer carried over from the last assessment). Through
the template engine, with every value and condition a node of its own, the
rows were about 40% of the page's time; written here with ``format_html``
(every value escaped, as the template escaped it) they cost a few percent.
The words every row shares ("Error:", the answers' labels, the roles) are
translated once per form (``RowWords``), not once per row.

The markup is the one the row template had, byte for byte: a fieldset per
factor whose ``aria-describedby`` names the row's error, carried-over marker
and guidance; an error names the invalid inputs (``aria-invalid``); the note's
textarea keeps what was typed. ``tests/assessments/test_form_rows.py`` checks
it against the form's own bound fields.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from assessments.models import Finding
from factors.models import Role

ROW = (
    '<fieldset class="factor-row role-{role}{classes}" data-factor="{slug}"'
    ' aria-describedby="{described_by}">\n'
    '  <legend class="form-label">{label}'
    ' <span class="factor-role">({role_label})</span></legend>\n'
    "  {error}\n"
    "  {carried}\n"
    "  {options}\n"
    "  {confirm}\n"
    '  <div class="form-text mb-1" id="{id}_help">{help}</div>\n'
    '  <label class="visually-hidden" for="{note_id}">{note_label}</label>\n'
    "  {note_error}\n"
    '  <textarea name="{note_name}" id="{note_id}" rows="1" maxlength="{note_max}"'
    ' class="form-control form-control-sm{note_class}" placeholder="{placeholder}"{note_aria}>\n'
    "{note_value}</textarea>\n"
    "</fieldset>"
)
ERROR = '<p class="field-error" id="{}_error"><span class="visually-hidden">{} </span>{}</p>'
CARRIED = '<p class="carried-marker" id="{}_carried" data-carried><strong>{}</strong> {}</p>'
OPTION = (
    '<div class="form-check form-check-inline"><input class="form-check-input" type="radio"'
    ' name="{}" id="{}" value="{}"{}><label class="form-check-label" for="{}">{}</label></div>'
)
CONFIRM = (
    '<div class="form-check carried-confirm"><input class="form-check-input" type="checkbox"'
    ' name="{}" id="{}"{}><label class="form-check-label" for="{}">{}</label></div>'
)
CHECKED = mark_safe(" checked")
INVALID = mark_safe(' aria-invalid="true"')
NOTHING = mark_safe("")


def interface_text(message: str) -> SafeString:
    """A message of the interface, translated, as ``{% translate %}`` shows it:
    a literal of our own, so not escaped (the values put into one are)."""
    return mark_safe(gettext(message))  # noqa: S308 (our own text and its translations)


@dataclass(frozen=True)
class RowWords:
    """The words every row of one form shares, translated once in the page's language."""

    error: str
    carried: str
    last_time: str  # "Last time: %(status)s."
    not_answered: str
    placeholder: str
    roles: dict[str, str]
    options: list[tuple[str, str]]  # (value, label) of each answer

    @classmethod
    def translated(cls) -> RowWords:
        return cls(
            error=interface_text("Error:"),
            carried=interface_text("Carried over — confirm or change."),
            last_time=interface_text("Last time: %(status)s."),
            not_answered=interface_text("not answered"),
            placeholder=interface_text("Note (optional)"),
            roles={value: str(label).lower() for value, label in Role.choices},
            options=[(value, str(label)) for value, label in Finding.Status.choices],
        )


def render_row(row, words: RowWords) -> SafeString:
    """One factor's fieldset (``row`` is an ``assessments.forms.FactorRow``)."""
    choice, note, confirm, factor = row.choice, row.note, row.confirm, row.factor
    row_id, name, error = choice.auto_id, choice.html_name, row.error
    current = choice.value()
    invalid = INVALID if error else NOTHING
    options = format_html_join(
        "",
        OPTION,
        (
            (
                name,
                f"{row_id}_{index}",
                value,
                mark_safe(f"{CHECKED if value == current else ''}{invalid}"),  # noqa: S308
                f"{row_id}_{index}",
                label,
            )
            for index, (value, label) in enumerate(words.options)
        ),
    )
    carried = row.carried
    note_id, note_error = note.auto_id, row.note_error
    described_by = " ".join(
        [*([f"{row_id}_error"] if error else []), *([f"{row_id}_carried"] if carried else [])]
        + [f"{row_id}_help"]
    )
    return format_html(
        ROW,
        role=factor.role,
        classes=(" has-error" if error else "") + (" is-carried" if carried else ""),
        slug=factor.slug,
        described_by=described_by,
        label=choice.label,
        role_label=words.roles.get(factor.role, factor.role),
        error=format_html(ERROR, row_id, words.error, error) if error else NOTHING,
        carried=_carried(row_id, carried, words) if carried else NOTHING,
        options=options,
        confirm=_confirm(confirm) if confirm is not None else NOTHING,
        id=row_id,
        help=choice.help_text,
        note_id=note_id,
        note_label=note.label,
        note_error=format_html(ERROR, note_id, words.error, note_error) if note_error else NOTHING,
        note_name=note.html_name,
        note_max=note.field.max_length,
        note_class=" is-invalid" if note_error else "",
        placeholder=words.placeholder,
        note_aria=format_html(' aria-invalid="true" aria-describedby="{}_error"', note_id)
        if note_error
        else NOTHING,
        note_value=note.value() or "",
    )


def _carried(row_id: str, carried: Finding, words: RowWords) -> SafeString:
    status = dict(words.options).get(carried.status) or words.not_answered
    # As {% blocktranslate %} does: the value escaped, the translated sentence as it is.
    last_time = mark_safe(words.last_time % {"status": conditional_escape(status)})  # noqa: S308
    return format_html(CARRIED, row_id, words.carried, last_time)


def _confirm(confirm) -> SafeString:
    checked = CHECKED if confirm.value() else NOTHING
    return format_html(
        CONFIRM, confirm.html_name, confirm.auto_id, checked, confirm.auto_id, confirm.label
    )
