"""Signed checkpoints of the chain head, and the full check of the chain against them.

A checkpoint says "entry `seq` has hash `hash`", signed with AUDIT_SIGNING_KEY. Kept off-site
(`manage.py audit_checkpoint --out FILE`), it shows what the chain alone cannot: a tail cut off
(the chain now ends before `seq`, or entry `seq` is gone) and a chain rewritten before `seq` (entry
`seq` has another hash). The signatures of the entries themselves (chain.append()) show a row
forged or rehashed by someone without the key. Format and an outside verifier: docs/audit.md.
"""

import base64
import json
import re
from collections.abc import Iterable
from typing import Any

from django.db import router, transaction
from django.utils import timezone

from . import signing
from .chain import GENESIS, canonical_timestamp, chain_head, lock_chain, verify_detail
from .models import AuditEntry, Checkpoint

MAX_PROBLEMS = 20
EXPECT_RE = re.compile(r"^(\d{1,19}):([0-9a-f]{64})$")


def create_checkpoint(using: str | None = None) -> Checkpoint:
    """Sign and store the current head (under the chain lock, so it is a head that commits)."""
    using = using or router.db_for_write(Checkpoint)
    with transaction.atomic(using=using):
        lock_chain(using)
        seq, head = chain_head(using)
        at = timezone.now()
        key = signing.public_key()
        kid = signing.key_id(key)
        signature = signing.sign(
            signing.checkpoint_message(seq, head, canonical_timestamp(at), kid)
        )
        return Checkpoint.objects.using(using).create(
            seq=seq, hash=head, at=at, key_id=kid, signature=signature
        )


def document(checkpoint: Checkpoint) -> dict[str, Any]:
    """The checkpoint as the JSON document to keep off-site (and GET /api/v1/audit/head/)."""
    keys = signing.trusted_keys()
    key = keys.get(checkpoint.key_id)
    return {
        "type": signing.CHECKPOINT_TYPE,
        "v": 1,
        "seq": checkpoint.seq,
        "hash": checkpoint.hash,
        "at": checkpoint.at_canonical,
        "key_id": checkpoint.key_id,
        "signature": checkpoint.signature,
        "public_key": base64.b64encode(signing.public_bytes(key)).decode() if key else None,
    }


def read_document(text: str) -> tuple[int, str, list[str]]:
    """(seq, hash, problems) of a checkpoint file: its signature must verify with its public
    key, whose SHA-256 must be its key id; a key this registry does not trust is a problem too
    (compare the key with the one you recorded when you kept the file)."""
    try:
        doc = json.loads(text)
        seq, head, at, kid = doc["seq"], doc["hash"], doc["at"], doc["key_id"]
        key = signing.parse_public_key(doc["public_key"])
        if doc.get("type") != signing.CHECKPOINT_TYPE or doc.get("v") != 1:
            raise ValueError("not a version 1 audit checkpoint")
        if not (isinstance(seq, int) and isinstance(head, str) and isinstance(at, str)):
            raise ValueError("seq, hash or at of the wrong type")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"not a checkpoint file: {exc}") from None
    problems = []
    if signing.key_id(key) != kid:
        problems.append(f"checkpoint file: key_id {kid} is not the SHA-256 of its public key")
    elif not signing.verifies(
        key, doc["signature"], signing.checkpoint_message(seq, head, at, kid)
    ):
        problems.append("checkpoint file: the signature does not verify")
    elif kid not in signing.trusted_keys():
        problems.append(f"checkpoint file: signed by key {kid}, not a key of this registry")
    return seq, head, problems


def parse_expect(value: str) -> tuple[int, str]:
    """'SEQ:HASH' -> (seq, hash); ValueError otherwise."""
    match = EXPECT_RE.match(value.strip().lower())
    if not match:
        raise ValueError(
            f"expected SEQ:HASH (a number, a colon, 64 hex digits), not {value[:80]!r}"
        )
    return int(match[1]), match[2]


def check(expect: Iterable[tuple[int, str, str]] = (), using: str | None = None) -> dict[str, Any]:
    """The whole chain with its signatures, every stored checkpoint, and `expect`: (seq, hash,
    source) pairs kept elsewhere (a checkpoint file, a published head). "ok" only if all agree;
    "problems" says what does not, one sentence each."""
    keys = signing.trusted_keys()
    result = verify_detail(using, keys=list(keys.values()))
    head_seq, head_hash = chain_head(using)
    problems = []
    if not result["ok"]:
        problems.append(
            f"entry {result['first_broken_seq']} does not verify (its link, hash or signature)"
        )
    expectations = list(expect)
    checked = 0
    for cp in Checkpoint.objects.using(using).order_by("id").iterator(chunk_size=2000):
        checked += 1
        key = keys.get(cp.key_id)
        message = signing.checkpoint_message(cp.seq, cp.hash, cp.at_canonical, cp.key_id)
        if key is None or not signing.verifies(key, cp.signature, message):
            problems.append(f"stored checkpoint {cp.pk} (seq {cp.seq}): signature does not verify")
        else:
            expectations.append((cp.seq, cp.hash, f"stored checkpoint {cp.pk}"))
    covered = max((seq for seq, _, _ in expectations), default=0)
    if result["unsigned_entries"] > covered:
        problems.append(
            f"entries 1 to {result['unsigned_entries']} carry no signature and no checkpoint"
            " covers them (take one: manage.py audit_checkpoint)"
        )
    problems += _compare(expectations, head_seq, using)
    if len(problems) > MAX_PROBLEMS:
        problems[MAX_PROBLEMS:] = [f"and {len(problems) - MAX_PROBLEMS} more problems"]
    return {
        **result,
        "ok": not problems,
        "head_seq": head_seq,
        "head_hash": head_hash,
        "checkpoints_checked": checked,
        "problems": problems,
    }


def _compare(
    expectations: list[tuple[int, str, str]], head_seq: int, using: str | None
) -> list[str]:
    problems = []
    wanted = sorted({seq for seq, _, _ in expectations if 0 < seq <= head_seq})
    found: dict[int, str] = {}
    for i in range(0, len(wanted), 1000):
        found.update(
            AuditEntry.objects.using(using)
            .filter(seq__in=wanted[i : i + 1000])
            .values_list("seq", "hash")
        )
    found[0] = GENESIS
    for seq, expected, source in expectations:
        if seq > head_seq:
            problems.append(
                f"the chain ends at {head_seq} but {source} saw entry {seq}: the tail was cut off"
            )
        elif seq not in found:
            problems.append(f"entry {seq}, which {source} saw, is missing")
        elif found[seq] != expected:
            problems.append(
                f"entry {seq} has hash {found[seq][:16]}…, {source} says {expected[:16]}…:"
                " the chain was rewritten"
            )
    return problems
