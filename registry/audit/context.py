"""Who is acting and through which channel, for the current request, command or import.

The context lives in a ContextVar, so threads and async tasks each see their own. Requests get
theirs from AuditMiddleware; management commands from a hook on BaseCommand.execute (installed
once at start-up, so no command needs its own code); imports and scripts use audit_context().
"""

import contextlib
import getpass
import os
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand
from django.http import HttpRequest

from .actors import Actor, SystemActor
from .models import Channel


@dataclass(frozen=True)
class AuditContext:
    channel: str = Channel.SYSTEM
    request_id: str = ""
    actor: Actor = None  # a user, a SystemActor, a label (str) or None
    request: HttpRequest | None = None  # the request; its user is read when a change is recorded

    def resolve_actor(self, override: Actor = None) -> tuple[int | None, str]:
        """(user id, label) for the entry. The request's user is read late on purpose: API
        authentication (tokens, basic auth) happens in the view, after the middleware ran."""
        actor = override if override is not None else self.actor
        if actor is None and self.request is not None:
            user = getattr(self.request, "user", None)
            if user is not None and user.is_authenticated:
                actor = user
            else:
                return None, "anonymous"
        if actor is None:
            return None, "system"
        if isinstance(actor, SystemActor):
            return None, actor.label
        if isinstance(actor, str):
            return None, actor
        if not actor.is_authenticated:
            return None, "anonymous"
        return actor.pk, actor.get_username()


_NONE = AuditContext()
_current: ContextVar[AuditContext | None] = ContextVar("audit_context", default=None)


def current() -> AuditContext:
    return _current.get() or _NONE


@contextlib.contextmanager
def audit_context(
    actor: Actor = None,
    channel: str = Channel.SYSTEM,
    request_id: str | None = None,
    request: HttpRequest | None = None,
) -> Iterator[AuditContext]:
    """Attribute every change recorded inside the block to `actor` through `channel`.

    `actor` is a user, a SystemActor, a label or None. For imports:
    `with audit_context(actor=user, channel="import"): ...`.
    """
    if channel not in Channel.values:
        raise ValueError(f"Unknown audit channel {channel!r}")
    token = _current.set(
        AuditContext(channel=channel, request_id=request_id or "", actor=actor, request=request)
    )
    try:
        yield current()
    finally:
        _current.reset(token)


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid:{os.getuid()}" if hasattr(os, "getuid") else "unknown"


def command_actor(command_name: str) -> SystemActor:
    return SystemActor(f"command:{command_name} (os:{os_user()})")


def install_command_hook() -> None:
    """Run every management command inside an audit context naming the command and the OS user.

    `loaddata` is the fixture channel. A command run from code that already set a context (an
    import with a named user, a test) keeps that actor.
    """
    if getattr(BaseCommand.execute, "_audit_hooked", False):
        return
    original = BaseCommand.execute

    def execute(self: BaseCommand, *args: Any, **options: Any) -> str | None:
        name = self.__module__.rsplit(".", 1)[-1]
        outer = current()
        actor = outer.actor if outer.actor is not None else command_actor(name)
        channel = Channel.FIXTURE if name == "loaddata" else Channel.COMMAND
        with audit_context(actor=actor, channel=channel, request_id=outer.request_id):
            return original(self, *args, **options)

    # mypy types neither attributes set on a function nor a method patched on its class.
    execute._audit_hooked = True  # type: ignore[attr-defined]
    BaseCommand.execute = execute  # type: ignore[method-assign]
