"""Company and trading names (ASVS 5.1.4): normalised to NFKC, invisible characters refused, and
a name that looks like another company's (Cyrillic "е" for Latin "e", "0" for "O"...) refused
unless the writer confirms it (`confirm_similar_name`; the query is
registry.models.companies.similar_names), so a look-alike of a debarred company
is never registered by accident.

The look-alike test compares skeletons: each character replaced by its Latin homoglyph from the
Unicode confusables data (confusable_homoglyphs), case folded, spaces and a few ASCII
look-alikes (0/o, 1/l/i) folded."""

import unicodedata

from confusable_homoglyphs import confusables
from django.core.exceptions import ValidationError

# Format characters (Unicode category Cf: zero-width space/joiners, bidi embeddings, overrides
# and isolates, soft hyphen, word joiner, BOM...) and the invisible fillers that are letters.
_INVISIBLE_LETTERS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}
_ASCII_FOLD = str.maketrans({"0": "o", "1": "l", "i": "l", "|": "l"})


def invisible_character(text: str) -> str | None:
    for char in text or "":
        if unicodedata.category(char) == "Cf" or char in _INVISIBLE_LETTERS:
            return char
    return None


def normalise_name(text: str, field: str) -> str:
    """`text` in NFKC with its spaces collapsed; ValidationError on `field` if it holds an
    invisible character."""
    char = invisible_character(text)
    if char is not None:
        name = unicodedata.name(char, "an invisible character")
        raise ValidationError(
            {field: f"Names cannot contain invisible characters (U+{ord(char):04X} {name})."},
            code="invisible_character",
        )
    return " ".join(unicodedata.normalize("NFKC", text or "").split())


def _latin(char: str) -> str:
    if char.isascii():
        return char
    for glyph in confusables.confusables_data.get(char) or []:
        if glyph["c"].isascii():
            return glyph["c"]
    return char


def skeleton(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    latin = "".join(_latin(char) for char in folded).casefold()
    return "".join(latin.split()).translate(_ASCII_FOLD)
