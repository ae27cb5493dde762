"""Who did it: a user, or a system principal such as a management command (audit entries and
licence events name either)."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AnonymousUser


@dataclass(frozen=True)
class SystemActor:
    """A non-human principal, e.g. SystemActor("command:expire_licences")."""

    label: str


# Whom an audit entry names: a user (anonymous for a request without one), a system principal,
# a label such as "command:expire_licences", or None (the context's actor, else "system").
Actor: TypeAlias = "AbstractBaseUser | AnonymousUser | SystemActor | str | None"


def actor_fields(actor: "AbstractBaseUser | AnonymousUser | SystemActor | None") -> dict[str, Any]:
    """The (actor, actor_label) pair to store for `actor` (a user, a SystemActor or None)."""
    if actor is None:
        return {"actor": None, "actor_label": "system"}
    if isinstance(actor, SystemActor):
        return {"actor": None, "actor_label": actor.label}
    if not actor.is_authenticated:
        return {"actor": None, "actor_label": "anonymous"}
    return {"actor": actor, "actor_label": actor.get_username()}
