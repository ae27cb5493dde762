import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from registry.choices import FindingState, Severity

from . import factories as f
from .webutil import assert_fixed_queries

pytestmark = pytest.mark.django_db


def _charts(response):
    text = response.content.decode()
    start = text.index('<script id="dashboard-data" type="application/json">')
    body = text[text.index(">", start) + 1 : text.index("</script>", start)]
    return json.loads(body)


def _finding(company, rule, severity):
    now = timezone.now()
    return company.findings.create(
        rule_code=rule,
        severity=severity,
        subject_key=f"company:{company.pk}:{rule}",
        message=rule,
        first_seen=now,
        last_seen=now,
        state=FindingState.OPEN,
    )


def test_dashboard_aggregates_what_the_auditor_sees(client, auditor):
    unmix = f.ClientFactory(mission=f.MissionFactory(acronym="UNMIX"))
    f.ContractFactory(client=unmix, value=100, currency="USD", start=dt.date(2025, 3, 1))
    f.ContractFactory(client=unmix, value=50, currency="EUR", start=dt.date(2026, 3, 1))
    f.ContractFactory(value=10, currency="USD", start=dt.date(2026, 4, 1))
    company = f.CompanyFactory()
    _finding(company, "LIC-NONE", Severity.BLOCKER)
    _finding(company, "COC-NONE", Severity.WARNING)
    f.LicenceFactory(valid_until=timezone.localdate() + dt.timedelta(days=20))
    client.force_login(auditor)
    charts = _charts(client.get(reverse("web:dashboard")))
    mission = charts["by_mission"]
    i = mission["labels"].index("UNMIX")
    assert mission["counts"][i] == 2
    usd = next(v for v in mission["values"] if v["currency"] == "USD")
    assert usd["data"][i] == 100
    assert dict(zip(charts["by_year"]["labels"], charts["by_year"]["counts"], strict=True)) == {
        "2025": 1,
        "2026": 2,
    }
    assert sum(charts["standing"]["counts"]) == 5  # three contractors, `company`, the licensee
    assert charts["findings"]["labels"] == ["COC-NONE", "LIC-NONE"]
    assert sum(charts["expiring"]["counts"]) == 1


def test_mission_officer_counts_only_their_missions_contracts(client, mission_officer, mission):
    f.ContractFactory(client=f.ClientFactory(mission=mission), value=100)
    f.ContractFactory(value=999)
    client.force_login(mission_officer)
    charts = _charts(client.get(reverse("web:dashboard")))
    assert charts["by_mission"]["labels"] == ["UNMIX"]
    assert charts["by_mission"]["counts"] == [1]


def test_dashboard_loads_the_chart_library_from_this_site(client, auditor):
    client.force_login(auditor)
    text = client.get(reverse("web:dashboard")).text
    assert "/static/vendor/chartjs/chart.umd.min.js" in text
    assert "http://" not in text.split("<body")[0] and "https://" not in text.split("<body")[0]


def test_static_assets_are_served(client):
    for path in ["/static/vendor/chartjs/chart.umd.min.js", "/static/vendor/htmx/htmx.min.js"]:
        response = client.get(path)
        assert response.status_code == 200, path


def test_dashboard_runs_a_fixed_number_of_queries(client, auditor, django_assert_max_num_queries):
    def add_rows(n):
        for i in range(n):
            company = f.LicenceFactory(
                valid_until=timezone.localdate() + dt.timedelta(40 + i)
            ).company
            f.ContractFactory(company=company, start=dt.date(2020 + i % 5, 1, 1))
            _finding(company, f"RULE-{i}", Severity.WARNING)

    add_rows(1)
    client.force_login(auditor)
    url = reverse("web:dashboard")
    assert_fixed_queries(client, url, lambda: add_rows(20), 16, django_assert_max_num_queries)


def test_value_is_charted_per_currency_most_used_first(client, auditor):
    for value in (1_000_000, 2_000_000):
        f.ContractFactory(value=value, currency="KES", start=dt.date(2026, 1, 5))
    f.ContractFactory(value=900, currency="USD", start=dt.date(2026, 1, 5))
    client.force_login(auditor)
    response = client.get(reverse("web:dashboard"))
    values = _charts(response)["by_year"]["values"]
    assert [(v["currency"], v["contracts"]) for v in values] == [("KES", 2), ("USD", 1)]
    assert values[1]["data"] == [900]  # never summed into the KES figures
    assert '<label for="by-year-currency">Currency</label>' in response.text
    assert "KES (2 contracts)" in response.text
