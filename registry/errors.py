class DomainError(Exception):
    """A domain rule refused the operation; nothing was changed."""


class IllegalTransition(DomainError):
    """The licence is not in a state from which this action is allowed."""


class WriteRefused(DomainError):
    """The caller's write rule (registry.access.WRITE_RULES) refuses this change."""
