"""Validators for international identifiers: LEI (ISO 17442), countries, subdivisions, currencies."""

import re

import pycountry
from django.core.exceptions import ValidationError

_LEI_RE = re.compile(r"^[0-9A-Z]{18}[0-9]{2}$")


def lei_checksum_ok(lei: str) -> bool:
    """ISO 17442 check digits follow ISO 7064 MOD 97-10: letters become 10..35, the number mod 97 is 1."""
    digits = "".join(str(int(ch, 36)) for ch in lei)
    return int(digits) % 97 == 1


def validate_lei(value: str) -> None:
    if not _LEI_RE.match(value or ""):
        raise ValidationError(
            "An LEI is 20 characters: 18 capital letters or digits, then 2 check digits.",
            code="lei_format",
        )
    if not lei_checksum_ok(value):
        raise ValidationError("This LEI's check digits are wrong (ISO 17442).", code="lei_checksum")


def validate_currency(value: str) -> None:
    # pycountry matches case-insensitively; stored codes must be the canonical upper case.
    found = pycountry.currencies.get(alpha_3=value) if value else None
    if found is None or found.alpha_3 != value:
        raise ValidationError(f"{value!r} is not an ISO 4217 currency code.", code="currency")


def validate_subdivision(value: str) -> None:
    found = pycountry.subdivisions.get(code=value) if value else None
    if found is None or found.code != value:
        raise ValidationError(
            f"{value!r} is not an ISO 3166-2 subdivision code.", code="subdivision"
        )


def validate_subdivision_list(value) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError("Subdivisions are a list of ISO 3166-2 codes.", code="subdivisions")
    for code in value:
        validate_subdivision(code)
