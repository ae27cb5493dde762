"""GET /api/v1/audit/ and /api/v1/audit/verify/: auditors and admins only; filters; exports that
an outside verifier can check; history links from every detail response."""

import base64
import csv
import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from registry.audit.chain import GENESIS, entry_hash
from registry.audit.models import AuditEntry
from registry.choices import LicenceAction
from registry.csv_safety import restore
from registry.services.licensing import transition

from .. import factories as f
from ..test_audit_chain import tamper

pytestmark = pytest.mark.django_db
LIST = "/api/v1/audit/"
VERIFY = "/api/v1/audit/verify/"


@pytest.fixture
def suspended(world, regulator):
    transition(world.licence, LicenceAction.SUSPEND, actor=regulator, reason="Inspection 7 failed")
    return world.licence


@pytest.mark.parametrize(
    ("role", "expected"),
    [("public", 401), ("mission_staff", 403), ("regulator", 403), ("auditor", 200), ("admin", 200)],
)
@pytest.mark.parametrize("url", [LIST, VERIFY, LIST + "?format=csv", LIST + "1/"])
def test_only_auditors_and_admins_read_the_history(client_for, world, role, expected, url):
    assert client_for(role).get(url).status_code == expected


def test_an_objects_history_with_the_reason_of_its_event(client_for, suspended):
    response = client_for("auditor").get(
        LIST, {"object_type": "registry.Licence", "object_id": suspended.pk}
    )
    rows = response.json()["results"]
    assert rows and all(r["object_id"] == str(suspended.pk) for r in rows)
    event = next(r for r in rows if r["action"] == "event")
    assert (event["event"], event["reason"], event["actor_label"]) == (
        "licence.suspend",
        "Inspection 7 failed",
        "regulator",
    )
    assert [r["seq"] for r in rows] == sorted((r["seq"] for r in rows), reverse=True)


def test_company_filter_covers_its_licences_and_contracts(client_for, world):
    rows = client_for("auditor").get(LIST, {"company": world.company.pk}).json()["results"]
    types = {r["object_type"] for r in rows}
    assert {"registry.company", "registry.licence", "registry.contract"} <= types
    assert all(r["company"] == world.company.pk for r in rows)


def test_filters_by_actor_channel_action_and_time(client_for, suspended, regulator):
    api = client_for("auditor")
    by_actor = api.get(LIST, {"actor": regulator.pk}).json()["results"]
    assert by_actor and {r["actor_label"] for r in by_actor} == {"regulator"}
    assert api.get(LIST, {"actor": "regulator"}).json()["results"] == by_actor
    events = api.get(LIST, {"action": "event"}).json()["results"]
    assert {r["event"] for r in events} == {"licence.suspend"}
    latest = AuditEntry.objects.order_by("-seq").first()
    after = api.get(LIST, {"since": latest.at_canonical}).json()["results"]
    assert latest.seq in {r["seq"] for r in after}
    assert api.get(LIST, {"until": "2000-01-01T00:00:00Z"}).json()["results"] == []
    assert api.get(LIST, {"channel": "api"}).json()["results"] == []


def test_bad_filters_are_field_errors(client_for, world):
    for params in ({"since": "yesterday"}, {"colour": "red"}):
        response = client_for("auditor").get(LIST, params)
        assert response.status_code == 400 and set(response.json()["fields"]) == set(params)


def test_writes_through_the_api_are_recorded_on_the_api_channel(client_for, world, mission_officer):
    api = client_for("mission_staff")
    response = api.patch(
        f"/api/v1/contracts/{world.contract.pk}/", {"title": "Perimeter guarding"}, format="json"
    )
    assert response.status_code == 200
    entry = AuditEntry.objects.filter(object_type="registry.contract").order_by("-seq").first()
    assert (entry.channel, entry.actor, entry.changes["title"][1]) == (
        "api",
        mission_officer,
        "Perimeter guarding",
    )
    assert entry.request_id == response["X-Request-ID"]


def test_ndjson_export_verifies_outside_the_registry(client_for, suspended):
    response = client_for("auditor").get(LIST, {"format": "ndjson"})
    assert response.status_code == 200 and response["Content-Type"] == "application/x-ndjson"
    rows = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    assert [r["seq"] for r in rows] == list(range(rows[0]["seq"], rows[0]["seq"] - len(rows), -1))
    prev = GENESIS
    for row in sorted(rows, key=lambda r: r["seq"]):
        at = dt.datetime.fromisoformat(row["at"].replace("Z", "+00:00"))
        assert row["prev_hash"] == prev and entry_hash({**row, "at": at}) == row["hash"]
        prev = row["hash"]


def test_csv_export_follows_the_filters(client_for, suspended):
    response = client_for("auditor").get(
        LIST, {"format": "csv", "object_type": "registry.licence", "object_id": suspended.pk}
    )
    assert response["Content-Disposition"] == 'attachment; filename="audit.csv"'
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows and {r["object_id"] for r in rows} == {str(suspended.pk)}
    assert any(r["event"] == "licence.suspend" for r in rows)
    empty = client_for("auditor").get(LIST, {"format": "csv", "object_type": "nothing.here"})
    assert b"".join(empty.streaming_content).decode().startswith("seq,at,actor_id")


def test_verify_reports_ok_then_the_first_broken_entry(client_for, world):
    api = client_for("auditor")
    body = api.get(VERIFY).json()
    assert body["ok"] is True and body["first_broken_seq"] is None
    assert body["entries_checked"] == AuditEntry.objects.count() == body["head_seq"]
    target = AuditEntry.objects.order_by("seq")[2]
    tamper("UPDATE audit_auditentry SET reason = %s WHERE seq = %s", ["edited", target.seq])
    assert api.get(VERIFY).json() | {"entries_checked": 0} == {
        "ok": False,
        "first_broken_seq": target.seq,
        "entries_checked": 0,
        "head_seq": body["head_seq"],
        "head_hash": body["head_hash"],
        "unsigned_entries": 0,
        "checkpoints_checked": 0,
        "problems": [f"entry {target.seq} does not verify (its link, hash or signature)"],
    }


def test_detail_responses_link_to_the_history(client_for, world):
    url = f"/api/v1/licences/{world.licence.pk}/"
    link = client_for("auditor").get(url)["Link"]
    assert link.endswith('; rel="history"') and "object_type=registry.licence" in link
    target = link[1 : link.index(">")]
    assert client_for("auditor").get(target).json()["results"]
    assert "Link" not in client_for("mission_staff").get(url)


def test_list_runs_a_fixed_number_of_queries(client_for, world, django_assert_max_num_queries):
    f.CompanyFactory.create_batch(20)
    with django_assert_max_num_queries(8):
        assert client_for("auditor").get(LIST, {"page_size": 100}).status_code == 200


def test_entry_detail_by_sequence_number(client_for, world):
    entry = AuditEntry.objects.order_by("seq").first()
    body = client_for("auditor").get(reverse("api:audit-detail", args=[entry.seq])).json()
    assert (body["seq"], body["hash"], body["at"]) == (entry.seq, entry.hash, entry.at_canonical)
    assert body["signature"] == entry.signature != ""


HEAD = "/api/v1/audit/head/"


def test_the_signed_head_is_public_and_verifies_outside_the_registry(client_for, world):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from registry.audit.signing import canonical

    public = client_for("public")
    body = public.get(HEAD).json()
    last = AuditEntry.objects.order_by("-seq").first()
    assert body["head"] == {
        "seq": last.seq,
        "hash": last.hash,
        "at": last.at_canonical,
        "signature": last.signature,
    }
    assert body["checkpoint"] is None
    call_command("audit_checkpoint")
    cp = public.get(HEAD).json()["checkpoint"]
    assert (cp["seq"], cp["hash"], cp["public_key"]) == (last.seq, last.hash, body["public_key"])
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(cp["public_key"]))
    message = {k: cp[k] for k in ("type", "v", "seq", "hash", "at", "key_id")}
    key.verify(base64.b64decode(cp["signature"]), canonical(message))  # raises if not
    entry = {"type": "pmsc-registry/audit-entry", "v": 1, "seq": last.seq, "hash": last.hash}
    key.verify(base64.b64decode(body["head"]["signature"]), canonical(entry))
    assert public.post(HEAD, {}).status_code in (401, 403, 405)


def test_verify_against_an_expected_head(client_for, world):
    api = client_for("auditor")
    head = api.get(HEAD).json()["head"]
    expect = f"{head['seq']}:{head['hash']}"
    assert api.get(VERIFY, {"expect": expect}).json()["ok"] is True
    tamper("DELETE FROM audit_auditentry WHERE seq = %s", [head["seq"]])
    body = api.get(VERIFY, {"expect": expect}).json()
    assert body["ok"] is False and body["first_broken_seq"] is None
    assert body["problems"] == [
        f"the chain ends at {head['seq'] - 1} but expect {expect} saw entry {head['seq']}:"
        " the tail was cut off"
    ]
    other = f"{head['seq'] - 1}:{'b' * 64}"
    assert "the chain was rewritten" in api.get(VERIFY, {"expect": other}).json()["problems"][-1]


@pytest.mark.parametrize("bad", ["12", "x:y", "3:" + "A" * 63, "9" * 30 + ":" + "0" * 64])
def test_a_malformed_expectation_is_a_400(client_for, world, bad):
    response = client_for("auditor").get(VERIFY, {"expect": bad})
    assert response.status_code == 400
    assert "expect" in response.json()["fields"]


def test_csv_export_neutralises_formulas_and_still_verifies(client_for, world, regulator):
    transition(world.licence, LicenceAction.SUSPEND, actor=regulator, reason="@SUM(1+1)*cmd")
    response = client_for("auditor").get(LIST, {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    event = next(r for r in rows if r["event"] == "licence.suspend")
    assert event["reason"] == "'@SUM(1+1)*cmd"
    assert all(not v.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for v in r.values())
    # docs/audit.md: strip the one added quote from text cells, then the chain verifies.
    text = ("actor_label", "channel", "request_id", "object_type", "object_id", "action")
    text += ("changes", "event", "reason")
    prev = GENESIS
    for row in sorted(rows, key=lambda r: int(r["seq"])):
        entry = {k: restore(v) if k in text else v for k, v in row.items()}
        entry["seq"] = int(entry["seq"])
        for key in ("actor_id", "company_id"):
            entry[key] = int(entry[key]) if entry[key] else None
        entry["changes"] = json.loads(entry["changes"])
        entry["at"] = dt.datetime.fromisoformat(entry["at"].replace("Z", "+00:00"))
        assert entry["prev_hash"] == prev and entry_hash(entry) == entry["hash"]
        prev = entry["hash"]


def _parsed(fmt: str, content: bytes) -> list[dict]:
    text = content.decode()
    if fmt == "ndjson":
        return [json.loads(line) for line in text.splitlines()]
    rows = list(csv.DictReader(io.StringIO(text)))
    for row in rows:
        row["changes"] = json.loads(row["changes"])
    return rows


@pytest.mark.parametrize("fmt", ["csv", "ndjson"])
def test_the_database_written_export_holds_what_the_python_one_does(
    world, regulator, monkeypatch, fmt
):
    """On PostgreSQL the rows come from COPY; they must read back as the csv and json modules
    write them (on SQLite both sides are the Python path)."""
    from registry.audit import exports

    transition(world.licence, LicenceAction.SUSPEND, actor=regulator, reason="=1+1, «quoted»")
    stream = getattr(exports, f"stream_audit_{fmt}")
    queryset = AuditEntry.objects.filter(seq__gt=1).order_by("-seq")
    database = _parsed(fmt, b"".join(stream(queryset)))
    monkeypatch.setattr(exports, "_postgres", lambda queryset: False)
    python = _parsed(fmt, b"".join(stream(queryset)))
    assert len(database) == AuditEntry.objects.count() - 1
    assert database == python
