class DomainError(Exception):
    """A domain rule refused the operation; nothing was changed."""


class IllegalTransition(DomainError):
    """The licence is not in a state from which this action is allowed."""
