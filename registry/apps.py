from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate, post_save, pre_save


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = "PMSC Registry"

    def ready(self):
        from django.contrib.auth import get_user_model

        from registry import compliance, credentials, sessions  # noqa: F401  (rules register)
        from registry.roles import sync_role_groups
        from registry.security import connect_signals

        post_migrate.connect(sync_role_groups, sender=self, dispatch_uid="registry_role_groups")
        post_save.connect(
            _profile_saved, sender="registry.Profile", dispatch_uid="registry_profile_role"
        )
        connect_signals()  # login decisions on the registry.security log
        # Session timeouts and re-authentication count from the login (registry/sessions.py).
        user_logged_in.connect(sessions.on_login, dispatch_uid="registry_sessions_login")
        # A password change or deactivation revokes tokens and sessions (registry/credentials.py).
        user = get_user_model()
        pre_save.connect(credentials.user_pre_save, sender=user, dispatch_uid="credentials")
        post_save.connect(credentials.user_post_save, sender=user, dispatch_uid="credentials")


def _profile_saved(sender, instance, **kwargs):
    from registry.roles import apply_role_group

    apply_role_group(instance.user, instance.role)
