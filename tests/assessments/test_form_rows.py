"""The assessment form's hand-written markup: the factor rows written in Python
(assessments/rendering/form_rows.py) and the date, stage, notes and identifying-details
fields written in the page's template. Each is the same HTML as what it
replaced (the former row template, crispy-forms' Bootstrap 5 fields), in
English and in Spanish, for a new form, answers carried over, and a form
sent back with errors and what was typed; and the ids, labels, error
messages and typed values are where assistive technology looks for them."""

from __future__ import annotations

import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.template import engines
from django.test.html import parse_html
from django.urls import reverse
from django.utils import translation

from assessments.forms import COMPLETE_MISSING
from assessments.models import Assessment, Finding
from assessments.services import start_assessment
from factors.models import Factor
from tests.conftest import make_assessment

pytestmark = pytest.mark.django_db

# The row template the Python rows replaced, as it was.
FORMER_ROW = """{% load i18n %}{% with v=row %}<fieldset class="factor-row role-{{ v.role }}{% if v.error %} has-error{% endif %}{% if v.carried %} is-carried{% endif %}" data-factor="{{ v.slug }}" aria-describedby="{% if v.error %}{{ v.id }}_error {% endif %}{% if v.carried %}{{ v.id }}_carried {% endif %}{{ v.id }}_help">
  <legend class="form-label">{{ v.label }} <span class="factor-role">({{ v.role_label }})</span></legend>
  {% if v.error %}<p class="field-error" id="{{ v.id }}_error"><span class="visually-hidden">{% translate "Error:" %} </span>{{ v.error }}</p>{% endif %}
  {% if v.carried %}<p class="carried-marker" id="{{ v.id }}_carried" data-carried>{% translate "not answered" as not_answered %}<strong>{% translate "Carried over — confirm or change." %}</strong> {% blocktranslate trimmed with status=v.carried.get_status_display|default:not_answered %}Last time: {{ status }}.{% endblocktranslate %}</p>{% endif %}
  {% for value, label, option_id, checked in v.options %}<div class="form-check form-check-inline"><input class="form-check-input" type="radio" name="{{ v.name }}" id="{{ option_id }}" value="{{ value }}"{% if checked %} checked{% endif %}{% if v.error %} aria-invalid="true"{% endif %}><label class="form-check-label" for="{{ option_id }}">{{ label }}</label></div>{% endfor %}
  {% if v.confirm %}<div class="form-check carried-confirm"><input class="form-check-input" type="checkbox" name="{{ v.confirm_name }}" id="{{ v.confirm_id }}"{% if v.confirm_checked %} checked{% endif %}><label class="form-check-label" for="{{ v.confirm_id }}">{{ v.confirm_label }}</label></div>{% endif %}
  <div class="form-text mb-1" id="{{ v.id }}_help">{{ v.help }}</div>
  <label class="visually-hidden" for="{{ v.note_id }}">{{ v.note_label }}</label>
  {% if v.note_error %}<p class="field-error" id="{{ v.note_id }}_error"><span class="visually-hidden">{% translate "Error:" %} </span>{{ v.note_error }}</p>{% endif %}
  <textarea name="{{ v.note_name }}" id="{{ v.note_id }}" rows="1" maxlength="{{ v.note_max }}" class="form-control form-control-sm{% if v.note_error %} is-invalid{% endif %}" placeholder="{% translate 'Note (optional)' %}"{% if v.note_error %} aria-invalid="true" aria-describedby="{{ v.note_id }}_error"{% endif %}>
{% if v.note_value %}{{ v.note_value }}{% endif %}</textarea>
</fieldset>{% endwith %}"""  # noqa: E501


def former_values(row) -> dict:
    """What the former template was given for a row, read from Django's bound fields."""
    choice, note, confirm, factor = row.choice, row.note, row.confirm, row.factor
    current = choice.value()
    return {
        "id": choice.auto_id,
        "slug": factor.slug,
        "role": factor.role,
        "role_label": str(factor.get_role_display()).lower(),
        "label": choice.label,
        "help": choice.help_text,
        "name": choice.html_name,
        "error": choice.errors[0] if choice.errors else "",
        "options": [
            (value, label, f"{choice.auto_id}_{index}", value == current)
            for index, (value, label) in enumerate(choice.field.choices)
        ],
        "carried": row.carried,
        "confirm": confirm,
        "confirm_name": confirm.html_name if confirm else "",
        "confirm_id": confirm.auto_id if confirm else "",
        "confirm_label": confirm.label if confirm else "",
        "confirm_checked": bool(confirm.value()) if confirm else False,
        "note_id": note.auto_id,
        "note_name": note.html_name,
        "note_label": note.label,
        "note_max": note.field.max_length,
        "note_error": note.errors[0] if note.errors else "",
        "note_value": note.value(),
    }


def former_row(row) -> str:
    return engines["django"].from_string(FORMER_ROW).render({"row": former_values(row)})


TYPED = 'Typed <b>before</b> & "after"'


@pytest.fixture
def carried_draft(client_record, caseworker):
    """A draft started from a completed assessment: every answer carried over."""
    factors = list(Factor.objects.active())
    make_assessment(client_record, present=[factors[0].slug], absent=[factors[1].slug])
    Finding.objects.filter(factor=factors[2]).update(status="")
    draft, _ = start_assessment(client_record, caseworker)
    return draft


def sent_back(http, draft, language: str):
    """The form completed with gaps, an identifying note, an invalid stage and typed text."""
    factors = list(Factor.objects.active())
    data = {
        "date": "2099-01-01",
        "stage": "not-a-stage",
        "notes": "Call 07700 900123",
        "version": draft.version,
        "complete": "1",
        f"finding_{factors[0].pk}": "present",
        f"note_{factors[0].pk}": TYPED,
        f"note_{factors[1].pk}": "write to someone@example.org",
        f"confirm_{factors[2].pk}": "on",
    }
    response = http.post(
        reverse("assessments:edit", args=[draft.pk]), data, HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    return response


def shown(http, draft, language: str):
    response = http.get(reverse("assessments:edit", args=[draft.pk]), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("language", ["en", "es"])
def test_each_row_is_the_former_templates_html(login, caseworker, carried_draft, language):
    http = login(caseworker)
    for response in (
        shown(http, carried_draft, language),
        sent_back(http, carried_draft, language),
    ):
        form = response.context["form"]
        html = response.content.decode()
        with translation.override(language):
            for row in form.rows():
                assert str(row.html) == former_row(row)
                assert str(row.html) in html


def test_a_row_sent_back_keeps_its_ids_labels_errors_and_typed_values(
    login, caseworker, carried_draft
):
    response = sent_back(login(caseworker), carried_draft, "en")
    first, second, third = response.context["form"].rows()[:3]

    # The answer typed is checked; the note typed is kept, escaped.
    html = str(first.html)
    assert f'id="{first.choice.auto_id}_0" value="present" checked' in html
    assert "Typed &lt;b&gt;before&lt;/b&gt; &amp; &quot;after&quot;</textarea>" in html
    assert f'<label class="visually-hidden" for="id_note_{first.factor.pk}">' in html

    # A missing answer: the message, named by the fieldset, every radio marked invalid.
    html = str(third.html)
    assert f'aria-describedby="id_finding_{third.factor.pk}_error' in html
    assert f'<p class="field-error" id="id_finding_{third.factor.pk}_error">' in html
    assert "Answer this factor before completing" in html
    assert html.count('aria-invalid="true"') == len(Finding.Status.choices)
    assert COMPLETE_MISSING.startswith("Answer this factor")

    # An identifying note: its own message, named by its textarea.
    html = str(second.html)
    note_id = f"id_note_{second.factor.pk}"
    assert f'<p class="field-error" id="{note_id}_error">' in html
    assert f'aria-invalid="true" aria-describedby="{note_id}_error"' in html
    assert "an e-mail address" in html

    # The carried-over marker and the confirmation box, ticked as sent.
    assert f'id="id_finding_{third.factor.pk}_carried" data-carried' in str(third.html)
    assert f'name="confirm_{third.factor.pk}" id="id_confirm_{third.factor.pk}" checked' in str(
        third.html
    )

    # The error summary links each message to the first input of its row.
    summary = response.content.decode().split('id="error-summary"')[1].split("</div>")[0]
    assert f'href="#id_finding_{third.factor.pk}_0"' in summary


FIELDS = ("date", "stage", "notes", "confirm_identifying")


def field_html(html: str, name: str) -> str:
    """One field's block: its wrapper, to the end of its errors and help text."""
    start = html.index(f'<div id="div_id_{name}"')
    if name == "confirm_identifying":
        start = html.rindex('<div class="mb-3">', 0, start)
    depth, index = 0, start
    for match in re.finditer(r"<(/?)div\b", html[start:]):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            index = start + match.end()
            break
    return html[start : html.index(">", index) + 1]


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_date_stage_notes_and_confirmation_are_crispy_forms_html(
    login, caseworker, carried_draft, language
):
    http = login(caseworker)
    for response in (
        shown(http, carried_draft, language),
        sent_back(http, carried_draft, language),
    ):
        form = response.context["form"]
        html = response.content.decode()
        with translation.override(language):
            for name in FIELDS:
                if name == "confirm_identifying" and not form.identifying_found:
                    assert 'id="id_confirm_identifying"' not in html
                    continue
                assert parse_html(field_html(html, name)) == parse_html(
                    as_crispy_field(form[name])
                ), name


def test_the_fields_sent_back_keep_what_was_typed_and_name_their_errors(
    login, caseworker, carried_draft
):
    html = sent_back(login(caseworker), carried_draft, "en").content.decode()
    date = field_html(html, "date")
    assert 'value="2099-01-01"' in date
    assert 'aria-describedby="id_date_error"' in date
    assert '<p id="error_1_id_date"><strong>The date cannot be in the future.</strong></p>' in date
    stage = field_html(html, "stage")
    assert 'aria-describedby="id_stage_helptext id_stage_error"' in stage
    assert " selected" not in stage  # the invalid value is not one of the options
    notes = field_html(html, "notes")
    assert "Call 07700 900123</textarea>" in notes
    assert 'aria-describedby="id_notes_helptext id_notes_error"' in notes
    assert 'id="id_confirm_identifying"' in html
    assert '<label for="id_date" class="form-label requiredField">' in date


def test_an_empty_date_sent_back_stays_empty(login, caseworker, client_record):
    draft = Assessment.objects.create(client=client_record, caseworker=caseworker)
    response = login(caseworker).post(
        reverse("assessments:edit", args=[draft.pk]),
        {"date": "", "version": draft.version, "draft": "1"},
    )
    date = field_html(response.content.decode(), "date")
    assert parse_html(date) == parse_html(as_crispy_field(response.context["form"]["date"]))
    assert 'value=""' in date
