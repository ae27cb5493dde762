"""Formula-injection neutralisation for every CSV the registry writes (OWASP "CSV Injection").

A spreadsheet reads a cell that starts with = + - @, a tab or a carriage return as a formula, so
such a text cell gets one leading ' (single quote). The quote itself is in the set too, so the
prefix can always be undone without ambiguity: a text cell that starts with ' had exactly one '
added; remove that first character to get the stored value back (docs/audit.md).
Only text cells are neutralised; numbers, booleans and dates are written as they are.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
PREFIX = "'"

# The same characters as code points, for a CASE inside COPY: ascii() of the first character
# compared as integers, not left(..., 1) compared as collated text: a sixth off the contract
# export at a million rows.
_SQL_STARTS = ", ".join(str(ord(c)) for c in FORMULA_STARTS)


def neutralise(value: object) -> object:
    """The value with a leading ' if it is text that a spreadsheet could read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return PREFIX + value
    return value


def restore(cell: str) -> str:
    """The stored text of a neutralised CSV text cell (what a verifier compares or hashes)."""
    return cell[1:] if cell.startswith(PREFIX) else cell


def neutralise_sql(expression: str) -> str:
    """`neutralise` as a PostgreSQL expression over a text expression (set-based)."""
    return (
        f"CASE WHEN ascii({expression}) IN ({_SQL_STARTS})"
        f" THEN '{PREFIX}{PREFIX}' || {expression} ELSE {expression} END"
    )
