"""The assessment form's factor rows, written as HTML in Python.

A form has 30-odd factor rows of some twenty values each (ids, labels,
answers, errors, the answer carried over from the last assessment). Through
the template engine, with every value and condition a node of its own, the
rows were about 40% of the page's time. Here each row is one ``str.format``
of the same markup: the text in it (the catalogue's label and guidance, what
was typed, the error messages) escaped as the template escaped it
(``text``), the ids, names and answer values being the form's own. The words
every row shares ("Error:", the answers' labels, the roles) are translated
and escaped once per form (``RowWords``), not once per row. (``format_html``
with every piece as an argument cost about 2 ms a form: it escapes each of
some forty arguments a row through Django's lazy-aware ``escape``.)

The markup is the one the row template had, byte for byte: a fieldset per
factor whose ``aria-describedby`` names the row's error, carried-over marker
and guidance; an error names the invalid inputs (``aria-invalid``); the note's
textarea keeps what was typed. ``tests/assessments/test_form_rows.py`` checks
it against the form's own bound fields.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

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
ERROR = (
    '<p class="field-error" id="{id}_error"><span class="visually-hidden">{prefix} </span>'
    "{message}</p>"
)
CARRIED = (
    '<p class="carried-marker" id="{id}_carried" data-carried><strong>{marker}</strong>'
    " {last_time}</p>"
)
OPTION = (
    '<div class="form-check form-check-inline"><input class="form-check-input" type="radio"'
    ' name="{name}" id="{id}" value="{value}"{checked}{invalid}>'
    '<label class="form-check-label" for="{id}">{label}</label></div>'
)
CONFIRM = (
    '<div class="form-check carried-confirm"><input class="form-check-input" type="checkbox"'
    ' name="{name}" id="{id}"{checked}><label class="form-check-label" for="{id}">{label}</label>'
    "</div>"
)
NOTE_INVALID = ' aria-invalid="true" aria-describedby="{id}_error"'


def text(value) -> str:
    """``value`` as the template showed it: escaped, unless it is already safe
    HTML (what Django's ``conditional_escape`` does, without its lazy-string
    wrapper, which costs more than the escaping)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def interface_text(translated: str) -> SafeString:
    """A message of the interface, once translated, as ``{% translate %}``
    shows it: a literal of our own, so not escaped (the values put into one
    are). The message is translated where it is written (``gettext("...")``),
    so that makemessages finds it there."""
    return mark_safe(translated)  # noqa: S308 (our own text and its translations)


@dataclass(frozen=True)
class RowWords:
    """The words every row of one form shares, translated once in the page's
    language, as HTML."""

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
            error=interface_text(gettext("Error:")),
            carried=interface_text(gettext("Carried over — confirm or change.")),
            last_time=interface_text(gettext("Last time: %(status)s.")),
            not_answered=interface_text(gettext("not answered")),
            placeholder=interface_text(gettext("Note (optional)")),
            roles={value: text(str(label).lower()) for value, label in Role.choices},
            options=[(value, text(label)) for value, label in Finding.Status.choices],
        )


def render_row(row, words: RowWords) -> SafeString:
    """One factor's fieldset (``row`` is an ``assessments.forms.FactorRow``)."""
    choice, note, confirm, factor = row.choice, row.note, row.confirm, row.factor
    row_id, name, error, carried = choice.auto_id, choice.html_name, row.error, row.carried
    current = choice.value()
    invalid = ' aria-invalid="true"' if error else ""
    options = "".join(
        OPTION.format(
            name=name,
            id=f"{row_id}_{index}",
            value=value,
            checked=" checked" if value == current else "",
            invalid=invalid,
            label=label,
        )
        for index, (value, label) in enumerate(words.options)
    )
    note_id, note_error = note.auto_id, row.note_error
    described_by = " ".join(
        [*([f"{row_id}_error"] if error else []), *([f"{row_id}_carried"] if carried else [])]
        + [f"{row_id}_help"]
    )
    return mark_safe(  # noqa: S308 (every text escaped above or below)
        ROW.format(
            role=text(factor.role),
            classes=(" has-error" if error else "") + (" is-carried" if carried else ""),
            slug=text(factor.slug),
            described_by=described_by,
            label=text(choice.label),
            role_label=words.roles.get(factor.role) or text(factor.role.lower()),
            error=ERROR.format(id=row_id, prefix=words.error, message=text(error)) if error else "",
            carried=_carried(row_id, carried, words) if carried else "",
            options=options,
            confirm=_confirm(confirm) if confirm is not None else "",
            id=row_id,
            help=text(choice.help_text),
            note_id=note_id,
            note_label=text(note.label),
            note_error=ERROR.format(id=note_id, prefix=words.error, message=text(note_error))
            if note_error
            else "",
            note_name=note.html_name,
            note_max=note.field.max_length,
            note_class=" is-invalid" if note_error else "",
            placeholder=words.placeholder,
            note_aria=NOTE_INVALID.format(id=note_id) if note_error else "",
            note_value=text(note.value() or ""),
        )
    )


def _carried(row_id: str, carried: Finding, words: RowWords) -> str:
    status = dict(words.options).get(carried.status) or words.not_answered
    # As {% blocktranslate %} does: the value escaped, the translated sentence as it is.
    last_time = words.last_time % {"status": status}
    return CARRIED.format(id=row_id, marker=words.carried, last_time=last_time)


def _confirm(confirm) -> str:
    return CONFIRM.format(
        name=confirm.html_name,
        id=confirm.auto_id,
        checked=" checked" if confirm.value() else "",
        label=text(confirm.label),
    )
