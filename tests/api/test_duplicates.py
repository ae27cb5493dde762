"""A duplicate natural key answers 409 Conflict with the key's field, however it is caught:
by validation (the usual, sequential case) or by the database (two requests racing, simulated
by letting every validation pass)."""

import datetime as dt
from unittest import mock

import pytest
from django.db import IntegrityError, models, transaction
from rest_framework import validators

from api.errors import exception_handler
from registry.models import Contract

from .conftest import Scene
from .resources import test_contracts, test_register

# resource -> its generic cases' valid create body (tests/api/resources/)
CREATE_BODIES = {
    "contracts": test_contracts.TestContracts.create_body,
    "licences": test_register.TestLicences.create_body,
    "companies": test_register.TestCompanies.create_body,
    "codes": test_register.TestCodes.create_body,
    "authorities": test_register.TestAuthorities.create_body,
}


def _payload(world, path):
    return CREATE_BODIES[path](Scene(world.company, world.mission))


pytestmark = pytest.mark.django_db

# resource -> (role that may create it, field the duplicate is reported on)
KEYS = {
    "contracts": ("admin", "reference"),
    "licences": ("regulator", "number"),
    "companies": ("regulator", "registration_number"),
    "codes": ("admin", "code"),
    "authorities": ("admin", "name"),
}


def _conflict(response, field):
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["status"] == 409 and body["code"] == "conflict" and body["detail"]
    assert list(body["fields"]) == [field]
    assert all(isinstance(m, str) for m in body["fields"][field])
    return body


@pytest.fixture
def no_validation():
    """What a racing request sees: its validation ran before the other one committed."""

    def allow(*args, **kwargs):
        return None

    with (
        mock.patch.object(validators.UniqueValidator, "__call__", allow),
        mock.patch.object(validators.UniqueTogetherValidator, "__call__", allow),
        mock.patch.object(models.Model, "validate_unique", allow),
        mock.patch.object(models.Model, "validate_constraints", allow),
    ):
        yield


@pytest.mark.parametrize("path", KEYS)
def test_a_duplicate_answers_409_with_the_key_field(world, client_for, authority, path):
    role, field = KEYS[path]
    payload = _payload(world, path)
    client = client_for(role)
    assert client.post(f"/api/v1/{path}/", payload, format="json").status_code == 201
    _conflict(client.post(f"/api/v1/{path}/", payload, format="json"), field)


@pytest.mark.parametrize("path", KEYS)
def test_a_duplicate_the_database_refuses_answers_the_same(
    world, client_for, authority, path, request
):
    role, field = KEYS[path]
    payload = _payload(world, path)
    client = client_for(role)
    assert client.post(f"/api/v1/{path}/", payload, format="json").status_code == 201
    sequential = _conflict(client.post(f"/api/v1/{path}/", payload, format="json"), field)
    request.getfixturevalue("no_validation")
    racy = _conflict(client.post(f"/api/v1/{path}/", payload, format="json"), field)
    assert racy == sequential


def test_a_patch_onto_a_taken_reference_is_a_conflict_too(world, client_for, no_validation):
    other = Contract.objects.create(
        **{
            f.attname: getattr(world.contract, f.attname)
            for f in Contract._meta.concrete_fields
            if not f.primary_key
        }
        | {"reference": "TAKEN-1"}
    )
    client = client_for("admin")
    url = f"/api/v1/contracts/{other.pk}/"
    _conflict(
        client.patch(url, {"reference": world.contract.reference}, format="json"), "reference"
    )
    other.refresh_from_db()
    assert other.reference == "TAKEN-1"


def test_a_duplicate_with_other_errors_is_a_400_listing_all(world, client_for, authority):
    payload = _payload(world, "contracts")
    client = client_for("admin")
    assert client.post("/api/v1/contracts/", payload, format="json").status_code == 201
    response = client.post("/api/v1/contracts/", {**payload, "countries": ["ZZ"]}, format="json")
    assert response.status_code == 400, response.content
    assert "countries" in response.json()["fields"]


def test_other_integrity_errors_stay_a_plain_conflict(world):
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        Contract.objects.filter(pk=world.contract.pk).update(
            end=world.contract.start - dt.timedelta(days=1)
        )
    response = exception_handler(caught.value, {})
    assert response.status_code == 409
    assert response.data["code"] == "conflict" and "fields" not in response.data
