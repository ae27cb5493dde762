import pytest
from django.urls import reverse

from registry.audit.models import AuditEntry
from registry.audit.recorder import MASK, record_event
from registry.web.views.history import PAGE_SIZE

from . import factories as f
from .webutil import assert_fixed_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor_client(client, auditor):
    client.force_login(auditor)
    return client


def test_changes_show_as_field_old_new_with_masked_values(auditor_client, company):
    record_event(
        company,
        "company.review",
        reason="Yearly review",
        changes={
            "insurer": ["Old Mutual Fictional", "Harbour Mutual"],
            "identity_hash": [None, MASK],
            "countries": {"added": ["KE"], "removed": ["SO"]},
        },
    )
    text = auditor_client.get(reverse("web:history", args=["company", company.pk])).text
    assert "Yearly review" in text and "company.review" in text
    insurer = (
        '<span class="field-name">insurer</span>: <span class="value">Old Mutual Fictional</span>'
    )
    assert insurer in text
    assert '<span class="masked">masked</span>' in text
    assert 'added KE</span>; <span class="set-removed">removed SO' in text
    assert MASK not in text and "{&#x27;" not in text  # no raw dict or JSON
    assert f'href="{reverse("web:company", args=[company.pk])}"' in text


def test_entries_link_to_the_page_of_their_record(auditor_client, company):
    licence = f.LicenceFactory(company=company)
    contract = f.ContractFactory(company=company)
    text = auditor_client.get(reverse("web:history", args=["company", company.pk])).text
    assert f'href="/companies/{company.pk}/#licence-{licence.pk}"' in text
    assert f'href="{reverse("web:contract", args=[contract.pk])}"' in text


def test_history_pages_and_filters_by_action_and_channel(auditor_client, company):
    for i in range(PAGE_SIZE + 5):
        record_event(company, "company.review", reason=f"Review {i}")
    url = reverse("web:history", args=["company", company.pk])
    first = auditor_client.get(url).text
    newest = f"Review {PAGE_SIZE + 4}<"
    assert newest in first and "Review 4<" not in first and 'rel="next"' in first
    second = auditor_client.get(url + "?page=2").text
    assert "Review 4<" in second and newest not in second
    created = auditor_client.get(url + "?action=create").text
    assert "Review 1" not in created
    assert AuditEntry.objects.filter(company_id=company.pk, action="create").exists()
    assert f"Company #{company.pk}" in created
    by_web = auditor_client.get(url + "?channel=api").text
    assert "No change recorded matching these filters" in by_web


def test_each_page_runs_a_fixed_number_of_queries(
    auditor_client, company, django_assert_max_num_queries
):
    def grow():
        for i in range(PAGE_SIZE * 2):
            record_event(company, "company.review", reason=f"Review {i}")

    url = reverse("web:history", args=["company", company.pk]) + "?page=2&action=event"
    grow()
    assert_fixed_queries(auditor_client, url, grow, 8, django_assert_max_num_queries)
