"""A password change or a deactivation revokes the user's API tokens and ends their other
sessions (ASVS 3.3.3, 2.x: credentials issued under the old password do not outlive it).

Connected to User pre_save/post_save in RegistryConfig.ready(), so every door is covered: the
admin's user and password forms, set_password() + save(), Django's password change view,
scripts. A self-service password change keeps the session it was made in; every other session
of the user is deleted from the session store (database sessions; another engine keeps them,
but Django refuses them anyway: their session hash no longer matches, and an inactive user is
never authenticated).
"""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.utils import timezone

from registry.audit.context import current
from registry.models import ApiToken

WATCHED = ("password", "is_active")


def user_pre_save(sender, instance, raw, using, update_fields, **kwargs):
    instance._credentials_old = None
    if raw or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(WATCHED):
        return  # e.g. a login touching last_login
    instance._credentials_old = (
        sender._base_manager.using(using).filter(pk=instance.pk).values(*WATCHED).first()
    )


def user_post_save(sender, instance, created, raw, using, **kwargs):
    old = instance.__dict__.pop("_credentials_old", None)
    if old is None:
        return
    password_changed = old["password"] != instance.password
    deactivated = old["is_active"] and not instance.is_active
    if not (password_changed or deactivated):
        return
    revoke_tokens(instance)
    keep = None
    if password_changed and not deactivated:
        keep = _own_session_key(instance)
    end_sessions(instance, keep=keep)


def revoke_tokens(user) -> int:
    """Revoke every unrevoked token of `user`, each audited like a revocation by the owner."""
    tokens = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))
    for token in tokens:
        token.revoke()
    return len(tokens)


def end_sessions(user, keep: str | None = None) -> int:
    """Delete the user's sessions from a database session store, except the one keyed `keep`."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store, "get_model_class"):
        return 0  # not a database store
    model = store.get_model_class()
    doomed = []
    # The session table is not indexed by user: decode the live ones. Rare (password changes
    # and deactivations) and bounded by the number of signed-in sessions.
    for key, data in model.objects.filter(expire_date__gt=timezone.now()).values_list(
        "session_key", "session_data"
    ):
        if key == keep:
            continue
        decoded = store().decode(data)
        if decoded.get(SESSION_KEY) == str(user.pk):
            doomed.append(key)
    if doomed:
        model.objects.filter(session_key__in=doomed).delete()
    return len(doomed)


def _own_session_key(user) -> str | None:
    """The current request's session key when the request's user is `user` (self-service)."""
    request = current().request
    if request is None or not hasattr(request, "session"):
        return None
    request_user = getattr(request, "user", None)
    if request_user is None or getattr(request_user, "pk", None) != user.pk:
        return None
    return request.session.session_key
