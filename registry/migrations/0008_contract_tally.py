"""The contract tally (registry.models.ContractTally) and the triggers that keep it.

PostgreSQL: one statement-level trigger per operation with transition tables, so a COPY or a
bulk update adjusts the tally once, set-based; the groups are written in key order, so two
writers lock them in the same order. SQLite: row-level triggers.
"""

from django.db import migrations, models

TALLY = "registry_contracttally"
COLUMNS = "mission_key, year, currency, contracts, valued, value"
ADD = (
    " ON CONFLICT (mission_key, year, currency) DO UPDATE SET"
    " contracts = {t}contracts + excluded.contracts, valued = {t}valued + excluded.valued,"
    " value = {t}value + excluded.value"
)


def _signed(rows: str, sign: str) -> str:
    return (
        f"SELECT COALESCE(mission_id, 0) AS k, EXTRACT(YEAR FROM start)::int AS y, currency AS c,"
        f" {sign}1 AS n, {sign}(value IS NOT NULL)::int AS v, {sign}COALESCE(value, 0) AS s"
        f" FROM {rows}"
    )


def _postgres_upsert(*parts: str) -> str:
    rows = " UNION ALL ".join(parts)
    return (
        f"INSERT INTO {TALLY} AS t ({COLUMNS})"
        f" SELECT k, y, c, SUM(n), SUM(v), SUM(s) FROM ({rows}) AS d GROUP BY k, y, c"
        " HAVING SUM(n) <> 0 OR SUM(v) <> 0 OR SUM(s) <> 0 ORDER BY k, y, c" + ADD.format(t="t.")
    )


POSTGRES = [
    f"""CREATE FUNCTION registry_contract_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {_postgres_upsert(_signed("new_rows", ""))};
    ELSIF TG_OP = 'DELETE' THEN
        {_postgres_upsert(_signed("old_rows", "-"))};
    ELSE
        {_postgres_upsert(_signed("old_rows", "-"), _signed("new_rows", ""))};
    END IF;
    RETURN NULL;
END $$""",
    "CREATE TRIGGER registry_contract_tally_insert AFTER INSERT ON registry_contract"
    " REFERENCING NEW TABLE AS new_rows"
    " FOR EACH STATEMENT EXECUTE FUNCTION registry_contract_tally()",
    "CREATE TRIGGER registry_contract_tally_update AFTER UPDATE ON registry_contract"
    " REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"
    " FOR EACH STATEMENT EXECUTE FUNCTION registry_contract_tally()",
    "CREATE TRIGGER registry_contract_tally_delete AFTER DELETE ON registry_contract"
    " REFERENCING OLD TABLE AS old_rows"
    " FOR EACH STATEMENT EXECUTE FUNCTION registry_contract_tally()",
    f"INSERT INTO {TALLY} ({COLUMNS})"
    " SELECT COALESCE(mission_id, 0), EXTRACT(YEAR FROM start)::int, currency, COUNT(*),"
    " COUNT(value), COALESCE(SUM(value), 0) FROM registry_contract GROUP BY 1, 2, 3",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER registry_contract_tally_insert ON registry_contract",
    "DROP TRIGGER registry_contract_tally_update ON registry_contract",
    "DROP TRIGGER registry_contract_tally_delete ON registry_contract",
    "DROP FUNCTION registry_contract_tally()",
]


def _sqlite_upsert(row: str, sign: str) -> str:
    return (
        f"INSERT INTO {TALLY} ({COLUMNS}) VALUES (COALESCE({row}.mission_id, 0),"
        f" CAST(strftime('%Y', {row}.start) AS INTEGER), {row}.currency, {sign}1,"
        f" {sign}({row}.value IS NOT NULL), {sign}COALESCE({row}.value, 0))"
        + ADD.format(t="")
        + ";"
    )


SQLITE = [
    "CREATE TRIGGER registry_contract_tally_insert AFTER INSERT ON registry_contract"
    f" BEGIN {_sqlite_upsert('NEW', '')} END",
    "CREATE TRIGGER registry_contract_tally_update AFTER UPDATE ON registry_contract"
    " WHEN OLD.mission_id IS NOT NEW.mission_id OR OLD.start IS NOT NEW.start"
    " OR OLD.currency IS NOT NEW.currency OR OLD.value IS NOT NEW.value"
    f" BEGIN {_sqlite_upsert('OLD', '-')} {_sqlite_upsert('NEW', '')} END",
    "CREATE TRIGGER registry_contract_tally_delete AFTER DELETE ON registry_contract"
    f" BEGIN {_sqlite_upsert('OLD', '-')} END",
    f"INSERT INTO {TALLY} ({COLUMNS})"
    " SELECT COALESCE(mission_id, 0), CAST(strftime('%Y', start) AS INTEGER), currency,"
    " COUNT(*), COUNT(value), COALESCE(SUM(value), 0) FROM registry_contract GROUP BY 1, 2, 3",
]
SQLITE_REVERSE = [
    "DROP TRIGGER registry_contract_tally_insert",
    "DROP TRIGGER registry_contract_tally_update",
    "DROP TRIGGER registry_contract_tally_delete",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for statement in statements[schema_editor.connection.vendor]:
            schema_editor.execute(statement, None)  # None: no parameters, so % stays as is

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0007_company_standing_reasons"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContractTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "mission_key",
                    models.BigIntegerField(help_text="The mission's id; 0 for no mission."),
                ),
                ("year", models.IntegerField(help_text="Year of the contracts' start.")),
                ("currency", models.CharField(blank=True, max_length=3)),
                ("contracts", models.BigIntegerField(default=0)),
                (
                    "valued",
                    models.BigIntegerField(default=0, help_text="How many of them have a value."),
                ),
                ("value", models.DecimalField(decimal_places=2, default=0, max_digits=24)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("mission_key", "year", "currency"), name="contract_tally_key"
                    )
                ],
            },
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
