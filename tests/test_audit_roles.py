"""The application's database role (README, "Database roles") may read and append to the audit
trail, and nothing else: no UPDATE, DELETE or TRUNCATE, no disabling of the triggers."""

import uuid

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from registry.audit.chain import verify_chain
from registry.audit.models import AuditEntry

from . import factories as f
from .test_audit_chain import postgres_only

REFUSED = [
    "UPDATE audit_auditentry SET reason = 'x'",
    "DELETE FROM audit_auditentry",
    "TRUNCATE audit_auditentry",
    "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only",
    "ALTER TABLE audit_auditentry DISABLE TRIGGER ALL",
    "DROP TRIGGER audit_entry_no_truncate ON audit_auditentry",
    "SET LOCAL registry.audit_maintenance = 'on'; TRUNCATE audit_auditentry",
    "SET LOCAL session_replication_role = replica",
    "UPDATE audit_checkpoint SET seq = 0",
    "DELETE FROM audit_checkpoint",
    "TRUNCATE audit_checkpoint",
]


def test_db_roles_refuses_odd_names():
    with pytest.raises(CommandError, match="role name"):
        call_command("db_roles", "--owner", "owner", "--app", "app; DROP TABLE x")
    with pytest.raises(CommandError, match="must not be the owner"):
        call_command("db_roles", "--owner", "same", "--app", "same")


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_application_role_can_only_read_and_append():
    standard = f.ConductStandardFactory(code="roles-test", name="Roles test")
    app = f"pmsc_app_{uuid.uuid4().hex[:10]}"
    owner = connection.settings_dict["USER"]
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {app} LOGIN NOSUPERUSER NOINHERIT")
    try:
        call_command("db_roles", "--owner", owner, "--app", app, "--execute")
        params = connection.get_connection_params() | {"user": app}
        params.pop("password", None)
        params.pop("cursor_factory", None)
        head = AuditEntry.objects.order_by("-seq").values().first()
        with psycopg.connect(**params) as conn:
            for sql in REFUSED:
                with pytest.raises(psycopg.Error) as caught, conn.transaction():
                    conn.execute(sql)
                message = str(caught.value)
                assert "permission denied" in message or "must be owner" in message, (sql, message)
            with conn.transaction():
                seq = conn.execute("SELECT max(seq) FROM audit_auditentry").fetchone()[0]
                assert seq == head["seq"]
                conn.execute(
                    "INSERT INTO audit_auditentry (seq, at, actor_label, channel, request_id,"
                    " object_type, object_id, action, changes, event, reason, prev_hash, hash,"
                    " signature) VALUES (%s, now(), 'app', 'system', '', 'x.y', '1', 'event',"
                    " '{}', '', '', %s, %s, '')",
                    [seq + 1, head["hash"], "0" * 64],
                )
                conn.execute(
                    "INSERT INTO audit_checkpoint (seq, hash, at, key_id, signature)"
                    " VALUES (1, '', now(), '', '')"
                )
                # Normal rights elsewhere.
                table = type(standard)._meta.db_table
                conn.execute(f"UPDATE {table} SET name = name WHERE id = %s", [standard.pk])
        assert AuditEntry.objects.count() == head["seq"] + 1
        assert verify_chain() == (False, head["seq"] + 1)  # what it appended is not a valid entry
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP OWNED BY {app}")
            cursor.execute(f"DROP ROLE {app}")
