import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from registry.models import HiringCheck
from registry.web.readable import show_message

from . import factories as f
from .test_web_hiring import _post
from .webutil import assert_fixed_queries

pytestmark = pytest.mark.django_db


def test_reason_messages_show_dates_and_countries_as_the_page_does():
    names = {"KE": "Kenya", "SO": "Somalia"}
    message = "Incident in SO on 2026-12-09; armed escort in KE, SO (2026-01-05 to 2026-03-01)."
    assert show_message(message, names) == (
        "Incident in Somalia (SO) on 9 Dec 2026; armed escort in Kenya (KE), Somalia (SO)"
        " (5 Jan 2026 to 1 Mar 2026)."
    )
    assert show_message("imposed by AU in XX", names) == "imposed by AU in XX"
    assert show_message("SSLB (KE): no licence covers SO.", names) == (
        "SSLB (KE): no licence covers Somalia (SO)."
    )
    services = {"armed_escort": "Armed escort"}
    assert show_message("Nothing covers armed_escort.", names, services) == (
        "Nothing covers armed escort."
    )


def test_result_names_countries_and_formats_dates_alike(client, mission_officer, mission):
    company = f.CompanyFactory()
    licence = f.LicenceFactory(company=company)
    end = licence.valid_until + dt.timedelta(days=30)
    client.force_login(mission_officer)
    data = _post(company, mission, countries=["KE", "SO"], end=end.isoformat())
    data["start"] = f.TODAY().isoformat()
    client.post(reverse("web:hiring_check"), data)
    check = HiringCheck.objects.get()
    text = client.get(reverse("web:hiring_result", args=[check.pk])).text
    assert "Kenya (KE), Somalia (SO)" in text
    assert date_format(end) in text and date_format(licence.valid_until) in text
    reasons = text.split('id="reasons-heading"')[1].split("</section>")[0]
    assert not re.search(r"\d{4}-\d{2}-\d{2}", reasons), reasons


def test_result_runs_a_fixed_number_of_queries(
    client, mission_officer, mission, django_assert_max_num_queries
):
    company = f.CompanyFactory()
    client.force_login(mission_officer)
    client.post(reverse("web:hiring_check"), _post(company, mission, countries=["KE"]))
    check = HiringCheck.objects.get()

    def grow():
        check.countries = ["KE", "SO", "UG", "TZ"]
        check.save()

    url = reverse("web:hiring_result", args=[check.pk])
    assert_fixed_queries(client, url, grow, 10, django_assert_max_num_queries)
