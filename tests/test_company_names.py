"""Company and trading names: NFKC, no invisible characters, look-alikes confirmed (ASVS 5.1.4)."""

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from registry.models import Company, CompanyAlias
from registry.names import skeleton

from . import factories as f

pytestmark = pytest.mark.django_db


def _api(admin_user):
    client = APIClient()
    client.force_authenticate(admin_user)
    return client


def _body(company, **change):
    body = {
        "legal_name": "Harbour Watch Security Ltd",
        "home_country": company.home_country_id,
        "registering_authority": company.registering_authority_id,
        "registration_number": "REG-NAMES-1",
    }
    return {**body, **change}


@pytest.mark.parametrize(
    "invisible",
    ["\u200b", "\u200d", "\u202e", "\u2066", "\u00ad", "\ufeff", "\u3164"],
)
def test_invisible_characters_are_refused(company, invisible):
    company.legal_name = f"Sentinel{invisible} Shield"
    with pytest.raises(ValidationError) as caught:
        company.full_clean()
    assert "invisible" in str(caught.value.message_dict["legal_name"])


def test_names_are_normalised_to_nfkc(company):
    company.legal_name = "Ｓｅｎｔｉｎｅｌ  Ｇｕａｒｄ ﬁeld"  # full-width letters, a ligature
    company.full_clean()
    assert company.legal_name == "Sentinel Guard field"


def test_skeleton_folds_homoglyphs():
    assert skeleton("Sеntinеl") == skeleton("Sentinel")  # Cyrillic е
    assert skeleton("G0LD Guard") == skeleton("Gold Guard")
    assert skeleton("Sentinel") != skeleton("Centinel")


def test_a_look_alike_of_another_company_needs_confirmation_through_the_api(company, admin_user):
    client = _api(admin_user)
    look_alike = company.legal_name.replace("e", "е", 1)  # Cyrillic е
    assert look_alike != company.legal_name
    response = client.post(
        "/api/v1/companies/", _body(company, legal_name=look_alike), format="json"
    )
    assert response.status_code == 400, response.content
    assert company.legal_name in response.json()["fields"]["legal_name"][0]
    assert not Company.objects.filter(legal_name=look_alike).exists()
    response = client.post(
        "/api/v1/companies/",
        _body(company, legal_name=look_alike, confirm_similar_name=True),
        format="json",
    )
    assert response.status_code == 201, response.content
    assert "confirm_similar_name" not in response.json()


def test_the_api_refuses_invisible_characters_and_stores_nfkc(company, admin_user):
    client = _api(admin_user)
    response = client.post(
        "/api/v1/companies/", _body(company, legal_name="Harbour\u200b Watch"), format="json"
    )
    assert response.status_code == 400 and "legal_name" in response.json()["fields"]
    response = client.post(
        "/api/v1/companies/", _body(company, legal_name="Ｈａｒｂｏｕｒ Watch"), format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["legal_name"] == "Harbour Watch"


def test_an_unchanged_name_is_not_checked_again(company):
    twin = f.CompanyFactory(legal_name=company.legal_name.replace("e", "е", 1))
    twin = Company.objects.get(pk=twin.pk)
    twin.address = "Elsewhere"
    twin.full_clean()  # saved before the rule, or confirmed once: editing it needs no new confirmation


def test_trading_names_follow_the_same_rules(company):
    other = f.CompanyFactory()
    alias = CompanyAlias(company=other, name=company.legal_name.replace("e", "е", 1))
    with pytest.raises(ValidationError) as caught:
        alias.full_clean()
    assert "name" in caught.value.message_dict
    alias.confirm_similar_name = True
    alias.full_clean()
    alias = CompanyAlias(company=other, name="Trade\u202eName")
    with pytest.raises(ValidationError):
        alias.full_clean()
    alias = CompanyAlias(company=company, name=company.legal_name.replace("e", "е", 1))
    alias.full_clean()  # its own name: not another company's


def test_admin_refuses_a_look_alike_unless_the_box_is_ticked(company, admin_user, client):
    from registry.admin.companies import ConfirmSimilarNameForm

    class Form(ConfirmSimilarNameForm):
        class Meta:
            model = Company
            fields = ["legal_name", "home_country", "registering_authority", "registration_number"]

    data = {
        "legal_name": company.legal_name.replace("e", "е", 1),
        "home_country": company.home_country_id,
        "registering_authority": company.registering_authority_id,
        "registration_number": "REG-ADMIN-1",
    }
    form = Form(data=data)
    assert not form.is_valid() and "legal_name" in form.errors
    form = Form(data={**data, "confirm_similar_name": "on"})
    assert form.is_valid(), form.errors
