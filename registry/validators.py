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


# --- control characters (ASVS 5.1.4) -------------------------------------------------------------

# C0 controls, DEL and C1 controls. NUL breaks PostgreSQL text; the others have no place in a
# register's text and can hide content from readers. Tab, line feed and carriage return are
# allowed in multi-line text (TextField) only.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def control_character(value, multiline: bool = False) -> str | None:
    """The first control character of `value` that is not allowed, else None."""
    if not isinstance(value, str):
        return None
    found = (_CONTROL_MULTILINE if multiline else _CONTROL).search(value)
    return found.group() if found else None


def control_character_message(char: str, multiline: bool = False) -> str:
    allowed = " (tabs and line breaks are)" if multiline else ""
    return f"Control characters such as U+{ord(char):04X} are not allowed{allowed}."


def validate_no_control_characters(value, multiline: bool = False) -> None:
    char = control_character(value, multiline)
    if char is not None:
        raise ValidationError(control_character_message(char, multiline), code="control_character")
