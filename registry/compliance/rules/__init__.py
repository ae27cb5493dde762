"""One module per subject; each rule is one `rule(...)` declaration and its check functions."""

from . import company, hire, personnel  # noqa: F401
