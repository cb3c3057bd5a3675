import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factors.catalogue import load_review_data
from factors.models import Factor, Study

pytestmark = pytest.mark.django_db


def catalogue_urls():
    factor = Factor.objects.first()
    study = Study.objects.first()
    return [
        reverse("factors:catalogue"),
        reverse("factors:factor", args=[factor.slug]),
        reverse("factors:studies"),
        reverse("factors:study", args=[study.key]),
        reverse("factors:about"),
    ]


def test_anonymous_users_are_sent_to_login_from_every_catalogue_page(client):
    for url in catalogue_urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url


def test_every_catalogue_page_renders_for_a_signed_in_user(login, caseworker):
    client = login(caseworker)
    for url in catalogue_urls():
        assert client.get(url).status_code == 200, url


def test_the_grid_shows_every_factor_in_its_level_and_role_cell(login, caseworker):
    html = login(caseworker).get(reverse("factors:catalogue")).content.decode()
    for factor in Factor.objects.all():
        assert factor.label.replace("'", "&#x27;") in html


def test_unknown_factor_and_study_are_404(login, caseworker):
    client = login(caseworker)
    assert client.get(reverse("factors:factor", args=["no-such-factor"])).status_code == 404
    assert client.get(reverse("factors:study", args=["no-such-study"])).status_code == 404


def test_about_page_publishes_the_counts_decision_and_limitations(login, caseworker):
    html = login(caseworker).get(reverse("factors:about")).content.decode()
    assert "21 facilitating" in html
    assert "English" in html
    assert "13" in html


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_catalogue_pages_query_count_does_not_grow_with_the_catalogue(login, caseworker):
    client = login(caseworker)
    client.get(reverse("factors:about"))  # the first request renews the session
    urls = [reverse("factors:catalogue"), reverse("factors:studies")]
    before = [count_queries(client, url) for url in urls]
    study = Study.objects.first()
    for i in range(20):
        factor = Factor.objects.create(
            slug=f"extra-{i}",
            label=f"Extra {i}",
            level="individual",
            role="hindering",
            description="A locally added factor.",
        )
        factor.evidence.create(study=study, quote="A sentence.")
    assert [count_queries(client, url) for url in urls] == before


def grid_slugs(html: str, level: str, role: str) -> list[str]:
    cell = html.split(f'data-level="{level}" data-role="{role}"', 1)[1].split("</td>", 1)[0]
    return re.findall(r'data-factor="([^"]+)"', cell)


def test_each_grid_cell_lists_its_factors_in_the_reviews_order(login, caseworker):
    html = login(caseworker).get(reverse("factors:catalogue")).content.decode()
    review_order = [f["slug"] for f in load_review_data()["factors"]]
    for level, role in {(f.level, f.role) for f in Factor.objects.all()}:
        listed = grid_slugs(html, level, role)
        assert listed == [slug for slug in review_order if slug in listed], (level, role)
    assert grid_slugs(html, "individual", "facilitating")[:3] == [
        "spirituality",
        "future-life-plans",
        "career-projects",
    ]


def test_the_grid_says_in_words_which_factors_are_not_targets(login, caseworker):
    html = login(caseworker).get(reverse("factors:catalogue")).content.decode()
    customers = html.split('data-factor="help-from-customers"', 1)[1].split("</li>", 1)[0]
    assert "caution: never encourage" in customers
    indoor = html.split('data-factor="indoor-exploitation-experience"', 1)[1].split("</li>", 1)[0]
    assert "context, not a target" in indoor
    work = html.split('data-factor="access-to-work"', 1)[1].split("</li>", 1)[0]
    assert "data-action" not in work
    assert "Unmarked factors are ones to act on" in html


def test_the_grid_counts_supporting_studies_only(login, caseworker):
    html = login(caseworker).get(reverse("factors:catalogue")).content.decode()
    police = html.split('data-factor="police-security-system"', 1)[1].split("</li>", 1)[0]
    assert "(1)" in police  # Dahal supports; Dalla & Kreimer's "rarely" only qualifies


def test_the_catalogue_page_has_no_doubled_full_stop_after_the_citation(login, caseworker):
    html = login(caseworker).get(reverse("factors:catalogue")).content.decode()
    assert "195-209.." not in html and "195-209." in html


def test_the_factor_page_keeps_the_reviews_words_apart_from_our_guidance(login, caseworker):
    factor = Factor.objects.get(slug="religious-organisations")
    html = login(caseworker).get(factor.get_absolute_url()).content.decode()
    review_part = html.split('id="from-the-review"', 1)[1].split("</section>", 1)[0]
    guidance_part = html.split('id="practice-guidance"', 1)[1].split("</section>", 1)[0]
    assert "From the review" in review_part
    assert "juju ritual for some areas of Africa" in review_part  # the Discussion, verbatim
    assert factor.guidance.split(":")[0] in guidance_part
    assert factor.guidance.split(":")[0] not in review_part
    assert "Practice guidance — written by ExitSupport, not from the review" in guidance_part
    assert "Written by ExitSupport with the catalogue" in guidance_part


def test_the_factor_page_says_who_last_changed_the_guidance_and_when(login, caseworker):
    factor = Factor.objects.get(slug="family")
    factor.guidance_updated_at = dt.datetime(2026, 3, 4, 10, 0, tzinfo=dt.UTC)
    factor.guidance_updated_by = caseworker
    factor.save()
    html = login(caseworker).get(factor.get_absolute_url()).content.decode()
    assert "Last changed by Olive on 4 Mar 2026." in html


def test_the_factor_page_states_how_to_act_on_it(login, caseworker):
    factor = Factor.objects.get(slug="indoor-exploitation-experience")
    html = login(caseworker).get(factor.get_absolute_url()).content.decode()
    assert "For caseworkers:</strong> Context: informs the reading of the evidence" in html


def test_qualifying_and_counter_evidence_are_worded_as_what_they_are(login, caseworker):
    client = login(caseworker)
    police = client.get(reverse("factors:factor", args=["police-security-system"]))
    assert "qualifies or limits the factor" in police.content.decode()
    stigma = client.get(reverse("factors:factor", args=["stigma-and-labelling"])).content.decode()
    assert "evidence against the factor&#x27;s role" in stigma
    for html in (police.content.decode(), stigma):
        assert "worked the other way" not in html and "counter-evidence" not in html


def test_the_about_page_publishes_caveats_counts_voices_and_ways_of_acting(login, caseworker):
    html = login(caseworker).get(reverse("factors:about")).content.decode()
    caveats = html.split('id="caveats"', 1)[1].split("</ul>", 1)[0]
    for words in ("lack of attention", "India–Nepal", "non-peer-reviewed", "July 2019", "follow"):
        assert words in caveats, words
    published = html.split('id="published-counts"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr><th scope=\"row\">([^<]+)</th>((?:<td>[^<]*</td>)+)</tr>", published)
    assert [(name, re.findall(r"<td>([^<]*)</td>", cells)) for name, cells in rows] == [
        ("This catalogue", ["21", "7", "4"]),
        ("The review&#x27;s abstract", ["21", "7", "4"]),
        ("The review&#x27;s Discussion (Figure 2)", ["21", "7", "3"]),
    ]
    assert "Practice guidance — written by ExitSupport, not from the review" in html
    not_targets = html.split('id="not-targets"', 1)[1].split("</ul>", 1)[0]
    assert "Help from customers (sex buyers)" in not_targets
    assert "Access to work" not in not_targets


def test_the_about_counts_leave_out_retired_factors(login, caseworker):
    Factor.objects.filter(slug="ngo-support").update(retired=True)
    html = login(caseworker).get(reverse("factors:about")).content.decode()
    published = html.split('id="published-counts"', 1)[1].split("</table>", 1)[0]
    assert "<td>21</td><td>7</td><td>3</td>" in published


def test_the_study_page_notes_the_citation_mismatch_and_cites_as_the_review_does(login, caseworker):
    html = login(caseworker).get(reverse("factors:study", args=["rochelle-2017"])).content.decode()
    assert '<h1 class="h3">Dalla &amp; Kreimer (2017)</h1>' in html
    assert "Our note on this study (ExitSupport's words, not the review's)" in html
    assert "Mumbai" in html.split('id="study-note"', 1)[1]
    assert "qualifies or limits the factor" in html  # the police sentence


def test_factor_and_about_pages_query_count_does_not_grow_with_the_evidence(login, caseworker):
    client = login(caseworker)
    factor = Factor.objects.get(slug="police-security-system")
    client.get(reverse("factors:about"))  # the first request renews the session
    urls = [factor.get_absolute_url(), reverse("factors:about")]
    before = [count_queries(client, url) for url in urls]
    study = Study.objects.first()
    for i in range(10):
        factor.evidence.create(study=study, quote=f"Sentence {i}.", direction="qualifies")
    Factor.objects.filter(slug__startswith="family").update(action="context")
    assert [count_queries(client, url) for url in urls] == before
