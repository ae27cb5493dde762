import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from registry.audit.models import AuditEntry, Checkpoint

NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")

SQL = """\
-- PostgreSQL roles for PMSC Registry (README, "Database roles"). Run as a superuser or as
-- {owner} after every `migrate` (it is idempotent). {owner} owns the tables and runs the
-- migrations; the application connects as {app}, which must not own any table, be a member of
-- {owner} or be a superuser: then it cannot disable the audit triggers, and it may only read and
-- append to the audit trail.
GRANT USAGE ON SCHEMA public TO {app};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app};
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {app};
ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app};
ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public
    GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {app};
REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {audit_tables} FROM {app};
"""


def roles_sql(owner: str, app: str) -> str:
    for name in (owner, app):
        if not NAME.match(name):
            raise ValueError(f"a role name of lower-case letters, digits and _, not {name!r}")
    if owner == app:
        raise ValueError("the application role must not be the owner")
    tables = ", ".join(
        connection.ops.quote_name(m._meta.db_table) for m in (AuditEntry, Checkpoint)
    )
    return SQL.format(owner=owner, app=app, audit_tables=tables)


class Command(BaseCommand):
    help = (
        "Print the SQL that gives the application's PostgreSQL role normal rights on the registry"
        " tables but only SELECT and INSERT on the audit tables (--execute runs it)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--owner", required=True, help="Role that owns the tables.")
        parser.add_argument("--app", required=True, help="Role the application connects as.")
        parser.add_argument("--execute", action="store_true", help="Run it on the database.")

    def handle(self, *args: Any, owner: str, app: str, execute: bool, **options: Any) -> None:
        try:
            sql = roles_sql(owner, app)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if not execute:
            self.stdout.write(sql, ending="")
            return
        if connection.vendor != "postgresql":
            raise CommandError("db_roles is for PostgreSQL")
        with connection.cursor() as cursor:
            cursor.execute(sql)
        self.stdout.write(f"Granted {app} its rights; {owner} keeps the ownership.")
