import csv
import io

import pytest
from django.urls import reverse  # noqa: E402

from . import factories as f  # noqa: E402

pytestmark = pytest.mark.django_db


def _rows(response):
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def test_auditor_downloads_the_filtered_contracts_as_csv(client, auditor):
    f.ContractFactory(reference="KE-1", countries=["KE"])
    f.ContractFactory(reference="SO-1", countries=["SO"])
    client.force_login(auditor)
    response = client.get(reverse("web:contracts_csv"), {"country": "SO"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert [row["reference"] for row in _rows(response)] == ["SO-1"]


def test_mission_officer_csv_holds_only_their_missions(client, mission_officer, mission):
    f.ContractFactory(client=f.ClientFactory(mission=mission), reference="OWN-1")
    f.ContractFactory(reference="FOREIGN-1")
    client.force_login(mission_officer)
    rows = _rows(client.get(reverse("web:contracts_csv")))
    assert [row["reference"] for row in rows] == ["OWN-1"]


def test_public_cannot_download(client):
    assert client.get(reverse("web:contracts_csv")).status_code == 302


def test_web_csv_neutralises_formula_cells(client, auditor):
    f.ContractFactory(reference="F-1", title='=HYPERLINK("http://x","y")')
    f.ContractFactory(reference="F-2", title="-2+3")
    client.force_login(auditor)
    titles = {
        row["reference"]: row["title"] for row in _rows(client.get(reverse("web:contracts_csv")))
    }
    assert titles == {"F-1": '\'=HYPERLINK("http://x","y")', "F-2": "'-2+3"}
