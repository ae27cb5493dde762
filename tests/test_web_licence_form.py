import pytest
from django.urls import reverse

from registry.choices import LicenceState

from . import factories as f

pytestmark = pytest.mark.django_db


def test_renewal_dates_are_grouped_and_marked_renewal_only(client, regulator, company):
    licence = f.LicenceFactory(company=company)
    client.force_login(regulator)
    text = client.get(reverse("web:licence_action", args=[licence.pk])).text
    assert 'data-shown-for-action="renew"' in text
    assert "renewal only" in text
    assert 'name="valid_until"' in text
    assert 'aria-describedby="id_valid_until_help"' in text


def test_no_renewal_dates_where_a_renewal_is_not_possible(client, regulator, company):
    licence = f.LicenceFactory(company=company, state=LicenceState.APPLIED)
    client.force_login(regulator)
    text = client.get(reverse("web:licence_action", args=[licence.pk])).text
    assert 'name="action"' in text
    assert 'name="valid_until"' not in text and "renewal only" not in text
