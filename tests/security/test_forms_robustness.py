"""Random, oversize, unicode and garbage input to every form never gives a
500, and input that is refused writes nothing. Malformed URLs and query
parameters are a 404 or 400, never a 500."""

from __future__ import annotations

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.models import Assessment, AuditEvent, Client, Finding

pytestmark = pytest.mark.django_db

FAST = settings(
    deadline=None, max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

garbage = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=20),
    st.sampled_from(["\x00", "<script>", "' OR 1=1 --", "9" * 30, "-1", "1e309", "\ud7ff"]),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.builds(lambda n: "x" * n, st.integers(min_value=4001, max_value=20000)),
    st.dates().map(str),
)


def fields(*names):
    return st.fixed_dictionaries({}, optional={name: garbage for name in names})


CLIENT_FIELDS = (
    "reference", "team", "caseworker", "age_group", "route", "setting", "nationality",
    "data_consent_on", "data_consent_method", "stats_consent_on", "language",
)  # fmt: skip


def snapshot(obj):
    obj.refresh_from_db()
    return model_to_dict(obj)


def counts():
    return (Client.objects.count(), Assessment.objects.count(), Finding.objects.count())


@pytest.fixture
def owner_http(as_role, records):
    return as_role("caseworker")


@pytest.fixture
def supervisor_http(as_role, records):
    return as_role("supervisor")


@FAST
@given(data=fields(*CLIENT_FIELDS))
def test_client_create_survives_any_input(owner_http, data):
    before = counts()
    response = owner_http.post(reverse("assessments:client_new"), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert counts() == before


@FAST
@given(data=fields(*CLIENT_FIELDS))
def test_client_edit_survives_any_input(owner_http, records, data):
    before = snapshot(records.client)
    response = owner_http.post(reverse("assessments:client_edit", args=[records.client.pk]), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert snapshot(records.client) == before


@FAST
@given(data=fields("date", "stage", "notes", "version", "draft", "complete"), extra=st.data())
def test_assessment_edit_survives_any_input(owner_http, records, data, extra):
    factor_ids = list(records.draft.findings.values_list("factor_id", flat=True)[:3])
    for pk in factor_ids:
        data[f"finding_{pk}"] = extra.draw(garbage)
        data[f"note_{pk}"] = extra.draw(garbage)
    before = (snapshot(records.draft), list(records.draft.findings.values()))
    response = owner_http.post(reverse("assessments:edit", args=[records.draft.pk]), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert (snapshot(records.draft), list(records.draft.findings.values())) == before


@FAST
@given(data=fields("q", "clear"), page=garbage)
def test_search_survives_any_input(owner_http, data, page):
    response = owner_http.post(reverse("assessments:clients"), data)
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert reverse("assessments:clients") == response["Location"]
    assert owner_http.get(reverse("assessments:clients"), {"page": page}).status_code == 200


@FAST
@given(data=fields("caseworker"))
def test_reassign_survives_any_input(supervisor_http, records, data):
    before = snapshot(records.client)
    url = reverse("assessments:client_reassign", args=[records.client.pk])
    response = supervisor_http.post(url, data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert snapshot(records.client) == before


@FAST
@given(data=fields("confirm"))
def test_erase_survives_any_input_and_erases_nothing_unconfirmed(supervisor_http, records, data):
    if data.get("confirm", "").strip() == records.client.reference:
        data["confirm"] = "not-it"
    before = counts()
    response = supervisor_http.post(
        reverse("assessments:client_erase", args=[records.client.pk]), data
    )
    assert response.status_code == 200
    assert counts() == before
    assert not AuditEvent.objects.filter(action="erase").exists()


@pytest.fixture
def enrolled_supervisor_http(supervisor_http, supervisor):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=supervisor, name="phone", confirmed=True)
    return supervisor_http


@FAST
@given(data=fields("token", "next"))
def test_two_factor_survives_any_input(enrolled_supervisor_http, data):
    supervisor_http = enrolled_supervisor_http
    response = supervisor_http.post(reverse("two_factor"), data)
    assert response.status_code == 200


@FAST
@given(data=fields("username", "password", "next"))
def test_sign_in_survives_any_input(as_role, data):
    response = as_role(None).post(reverse("login"), data)
    assert response.status_code in (200, 429)


@FAST
@given(page=garbage)
def test_audit_paging_survives_any_page_parameter(supervisor_http, page):
    assert supervisor_http.get(reverse("assessments:audit"), {"page": page}).status_code == 200


MALFORMED = [
    "/clients/99999999999999999999/",
    "/clients/9223372036854775808/edit/",
    "/assessments/99999999999999999999/",
    "/assessments/99999999999999999999/edit/",
    "/clients/0/",
    "/clients/-1/",
    "/clients/abc/",
    "/clients/1/consent/other/withdraw/",
    "/catalogue/factors/%00/",
    "/catalogue/studies/%00/",
    "/catalogue/factors/" + "a" * 5000 + "/",
    "/clients/%ff%fe/",
    "/%00",
    "/admin/factors/factor/%00/change/",
    "/admin/factors/factor/99999999999999999999/change/",
    "/admin/factors/factor/abc/change/",
]


@pytest.mark.parametrize("path", MALFORMED)
def test_a_malformed_url_is_a_4xx_never_a_500(as_role, records, path):
    for role in ("caseworker", "superuser"):
        status = as_role(role).get(path).status_code
        assert status in (302, 400, 404), (role, status)


@pytest.mark.parametrize(
    "query", ["page=abc", "page=-1", "page=0", "page=99999999999999999999", "page=1e9", "page="]
)
def test_a_malformed_page_parameter_shows_a_page(as_role, records, query):
    assert as_role("caseworker").get(f"/clients/?{query}").status_code == 200
    assert as_role("supervisor").get(f"/audit/?{query}").status_code == 200


@FAST
@given(tail=st.text(max_size=40))
def test_any_path_under_the_record_urls_is_never_a_500(owner_http, tail):
    from urllib.parse import quote

    for prefix in ("/clients/", "/assessments/", "/catalogue/factors/"):
        assert owner_http.get(prefix + quote(tail, safe="/")).status_code < 500
