import pytest
from django.core.exceptions import ValidationError

from registry.validators import (
    lei_checksum_ok,
    validate_currency,
    validate_lei,
    validate_subdivision,
    validate_subdivision_list,
)

from . import factories as f

# Fictional LEIs with correct ISO 7064 MOD 97-10 check digits.
VALID_LEIS = ["5493HBLKENYA00000010", "213800HBLGRP00000011", "98450000000000000032"]


@pytest.mark.parametrize("lei", VALID_LEIS)
def test_valid_lei_passes(lei):
    validate_lei(lei)
    assert lei_checksum_ok(lei)


@pytest.mark.parametrize(
    "lei",
    [
        "5493HBLKENYA0000002",  # 19 characters
        "5493HBLKENYA000000245",  # 21 characters
        "5493hblkenya00000024",  # lower case
        "5493HBLKENYA000000AB",  # check digits must be digits
        "5493HBLKENYA-0000024",  # punctuation
        "",
    ],
)
def test_badly_formed_lei_is_rejected(lei):
    with pytest.raises(ValidationError) as error:
        validate_lei(lei)
    assert error.value.code == "lei_format"


@pytest.mark.parametrize(
    "lei", ["5493HBLKENYA00000011", "5493HBLKENYA00000001", "5493HBLKENYB00000010"]
)
def test_lei_with_wrong_check_digits_is_rejected(lei):
    with pytest.raises(ValidationError) as error:
        validate_lei(lei)
    assert error.value.code == "lei_checksum"


@pytest.mark.django_db
def test_company_form_validation_rejects_bad_lei():
    company = f.CompanyFactory.build(
        home_country=f.country("KE"),
        registering_authority=f.AuthorityFactory(),
        lei="5493HBLKENYA00000011",
    )
    with pytest.raises(ValidationError) as error:
        company.full_clean()
    assert "lei" in error.value.message_dict


@pytest.mark.parametrize("code", ["KE-30", "SO-BN", "GB-ENG", "ZA-GP"])
def test_valid_subdivision_passes(code):
    validate_subdivision(code)


@pytest.mark.parametrize("code", ["KE-99", "XX-01", "KE", "ke-30", ""])
def test_unknown_subdivision_is_rejected(code):
    with pytest.raises(ValidationError):
        validate_subdivision(code)


def test_subdivision_list_must_be_a_list_of_codes():
    validate_subdivision_list(["KE-30", "KE-28"])
    validate_subdivision_list([])
    for bad in ["KE-30", ["KE-30", 4], ["KE-30", "KE-99"]]:
        with pytest.raises(ValidationError):
            validate_subdivision_list(bad)


@pytest.mark.django_db
def test_licence_subdivisions_must_lie_in_its_countries():
    licence = f.LicenceFactory(countries=["KE"], subdivisions=["KE-30"])
    licence.full_clean()
    licence.subdivisions = ["KE-30", "SO-BN"]
    with pytest.raises(ValidationError, match="SO-BN"):
        licence.full_clean()


@pytest.mark.parametrize(
    ("code", "ok"), [("USD", True), ("KES", True), ("XYZ", False), ("usd", False)]
)
def test_currency(code, ok):
    if ok:
        validate_currency(code)
    else:
        with pytest.raises(ValidationError):
            validate_currency(code)
