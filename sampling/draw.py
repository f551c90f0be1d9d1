"""The 双随机 draw anyone can re-run (algorithm "swdraw-1"), on the standard library alone.

A task is committed before it is drawn. The commitment is the SHA-256 of a canonical JSON document that fixes
everything the draw depends on:

- the object pool: the sorted lines "<handle> <stratum>\\n" (stratum: grade A/B/C/D, W on the watch list or
  under a raised ratio, U unrated) and their SHA-256;
- the ratio of each stratum (decimal strings: no float is ever rounded differently by two verifiers);
- the inspectors (opaque refs, never names), how many go to each object, and the recusals (lines
  "<handle> <ref>\\n": the inspector of that object last time and declared conflicts) with their SHA-256;
- the seed source: the SHA-256 of each of two officials' secret shares, or the description of a public value
  fixed in advance (e.g. a lottery draw on a stated day).

At draw time the shares (or the public value) are revealed and

    seed = SHA-256(commitment bytes ‖ revealed)     revealed = the shares concatenated, or the value, UTF-8
    rank(handle) = HMAC-SHA256(seed, handle)         per stratum, ascending (hex); take the first ⌈ratio·n⌉

and each drawn object gets k inspectors: the eligible refs (the pool minus its recusals) sorted, and
x = HMAC-SHA256(seed, "inspectors|" handle) read as a big-endian integer; k times: i = x mod m (m eligible
left), take the i-th (0-based) out of the list, x = x div m. One HMAC per drawn object, so 100k objects draw
in well under the 2 s goal.

`verify(published)` recomputes all of it from the published JSON alone and lists every mismatch.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import math
import sys
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation

ALGORITHM = "swdraw-1"
STRATA = ("A", "B", "C", "D", "W", "U")  # 优 良 中 差, watch list (or raised ratio), unrated


class DrawError(ValueError):
    """The input cannot be drawn (an unknown stratum, a bad ratio, a share that does not match its hash)."""


def canonical(value: object) -> bytes:
    """The bytes that are hashed: JSON with sorted keys, no spaces, UTF-8 (what `jq -cS` prints)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def objects_text(objects: Iterable[tuple[str, str]]) -> bytes:
    """The pool as hashed: one "<handle> <stratum>" line per object, sorted by handle; raises DrawError."""
    rows = sorted(objects)
    for (handle, stratum), nxt in zip(rows, [*rows[1:], None], strict=False):
        if stratum not in STRATA:
            raise DrawError(f"unknown stratum {stratum!r} for {handle}")
        if not handle or " " in handle or "\n" in handle:
            raise DrawError(f"bad handle {handle!r}")
        if nxt is not None and nxt[0] == handle:
            raise DrawError(f"handle {handle} twice in the pool")
    return "".join(f"{h} {s}\n" for h, s in rows).encode("utf-8")


def objects_digest(objects: Iterable[tuple[str, str]]) -> str:
    return sha256_hex(objects_text(objects))


def recusals_text(recusals: Mapping[str, Iterable[str]]) -> bytes:
    return "".join(f"{h} {r}\n" for h, r in sorted({(h, r) for h, refs in recusals.items() for r in refs})).encode()


def commitment_document(*, task_number: str, objects: Sequence[tuple[str, str]], ratios: Mapping[str, str],
                        inspectors: Iterable[str], inspectors_per_object: int, recusals: Mapping[str, Iterable[str]],
                        seed_source: Mapping) -> dict:
    """The document whose SHA-256 is the commitment; raises DrawError for a bad ratio or seed source."""
    for stratum, ratio in ratios.items():
        if stratum not in STRATA:
            raise DrawError(f"unknown stratum {stratum!r}")
        ratio_value(ratio)
    method = seed_source.get("method")
    if method == "shares":
        hashes = seed_source.get("share_sha256") or []
        if len(hashes) < 2 or any(len(h) != 64 for h in hashes):
            raise DrawError("two or more share hashes (SHA-256, hex) are needed")
    elif method != "public_value" or not seed_source.get("description"):
        raise DrawError("seed source: shares (their hashes) or a public value (its description)")
    return {"algorithm": ALGORITHM, "task_number": task_number, "objects_count": len(objects),
            "objects_sha256": objects_digest(objects), "ratios": {k: str(v) for k, v in sorted(ratios.items())},
            "inspectors": sorted(set(inspectors)), "inspectors_per_object": int(inspectors_per_object),
            "recusals_sha256": sha256_hex(recusals_text(recusals)), "seed_source": dict(seed_source)}


def commitment_of(document: Mapping) -> str:
    return sha256_hex(canonical(document))


def ratio_value(ratio: str) -> Decimal:
    """A ratio as an exact decimal in [0, 1]; raises DrawError."""
    try:
        value = Decimal(str(ratio))
    except InvalidOperation:
        raise DrawError(f"ratio {ratio!r} is not a decimal") from None
    if not value.is_finite() or not 0 <= value <= 1:
        raise DrawError(f"ratio {ratio!r} is not between 0 and 1")
    return value


def quota(ratio: str, n: int) -> int:
    """⌈ratio·n⌉, exactly (a decimal product, never a float)."""
    return min(n, math.ceil(ratio_value(ratio) * n))


def revealed_bytes(seed_source: Mapping, reveal: Mapping) -> bytes:
    """What the officials (or the public source) revealed, checked against the commitment; raises DrawError."""
    if seed_source.get("method") == "shares":
        shares = reveal.get("shares")
        hashes = seed_source.get("share_sha256") or []
        if not isinstance(shares, list) or len(shares) != len(hashes):
            raise DrawError(f"{len(hashes)} shares are needed")
        for i, (share, digest) in enumerate(zip(shares, hashes, strict=False)):
            if not isinstance(share, str) or sha256_hex(share.encode("utf-8")) != digest:
                raise DrawError(f"share {i + 1} does not match its committed hash")
        return "".join(shares).encode("utf-8")
    value = reveal.get("public_value")
    if not isinstance(value, str) or not value:
        raise DrawError("the public value is needed")
    return value.encode("utf-8")


def derive_seed(commitment_hex: str, revealed: bytes) -> bytes:
    return hashlib.sha256(bytes.fromhex(commitment_hex) + revealed).digest()


def rank(seed: bytes, message: str) -> str:
    return hmac.digest(seed, message.encode("utf-8"), "sha256").hex()


def pick_inspectors(seed: bytes, handle: str, eligible: Sequence[str], k: int) -> list[str]:
    """k refs out of the sorted eligible ones, chosen by HMAC-SHA256(seed, "inspectors|" handle) (see above)."""
    return _pick(seed, handle, sorted(eligible), k)


def _pick(seed: bytes, handle: str, left: list[str], k: int) -> list[str]:
    """pick_inspectors on a fresh list already sorted (the draw's pool is)."""
    x = int.from_bytes(hmac.digest(seed, f"inspectors|{handle}".encode(), "sha256"), "big")
    chosen = []
    while left and len(chosen) < k:
        x, i = divmod(x, len(left))
        chosen.append(left.pop(i))
    return chosen


def draw(seed: bytes, objects: Iterable[tuple[str, str]], ratios: Mapping[str, str], *,
         inspectors: Iterable[str] = (), inspectors_per_object: int = 0,
         recusals: Mapping[str, Iterable[str]] | None = None) -> list[dict]:
    """The drawn objects, stratum by stratum (A B C D W U), best rank first, each with its inspectors.

    A stratum without a ratio is not drawn. Raises DrawError for an unknown stratum or a bad ratio.
    """
    by_stratum: dict[str, list[str]] = {s: [] for s in STRATA}
    for handle, stratum in objects:
        if stratum not in by_stratum:
            raise DrawError(f"unknown stratum {stratum!r} for {handle}")
        by_stratum[stratum].append(handle)
    pool, recusals = sorted(set(inspectors)), recusals or {}
    drawn: list[dict] = []
    for stratum in STRATA:
        handles = by_stratum[stratum]
        if not handles or stratum not in ratios:
            continue
        # Raw digests sort as their hex does; only the drawn ones are turned into hex.
        ranked = sorted((hmac.digest(seed, h.encode("utf-8"), "sha256"), h) for h in handles)
        for digest, handle in ranked[:quota(ratios[stratum], len(handles))]:
            key = digest.hex()
            excluded = set(recusals.get(handle, ()))
            eligible = [ref for ref in pool if ref not in excluded] if excluded else pool
            drawn.append({"handle": handle, "stratum": stratum, "rank": key,
                          "inspectors": _pick(seed, handle, list(eligible), inspectors_per_object)})
    return drawn


def verify(published: Mapping) -> list[str]:
    """Every way the published task disagrees with a re-run of its draw; empty when it matches."""
    problems: list[str] = []
    commitment = published.get("commitment") or {}
    document = commitment.get("document") or {}
    if document.get("algorithm") != ALGORITHM:
        return [f"algorithm {document.get('algorithm')!r} is not {ALGORITHM}"]
    try:
        objects = [(o["handle"], o["stratum"]) for o in published.get("objects", [])]
        recusals = {h: list(refs) for h, refs in (published.get("recusals") or {}).items()}
        if commitment_of(document) != commitment.get("sha256"):
            problems.append("commitment: the SHA-256 of the committed document differs from the published one")
        if objects_digest(objects) != document.get("objects_sha256") or len(objects) != document.get("objects_count"):
            problems.append("objects: the published pool is not the committed one (SHA-256 or count differs)")
        if sha256_hex(recusals_text(recusals)) != document.get("recusals_sha256"):
            problems.append("recusals: the published recusals are not the committed ones")
        if not published.get("reveal"):
            return [*problems, "not drawn yet: nothing revealed"]
        seed = derive_seed(commitment.get("sha256", ""), revealed_bytes(document["seed_source"], published["reveal"]))
        if seed.hex() != published.get("seed"):
            problems.append("seed: SHA-256(commitment ‖ revealed) differs from the published seed")
        expected = draw(seed, objects, document["ratios"], inspectors=document.get("inspectors", []),
                        inspectors_per_object=document.get("inspectors_per_object", 0), recusals=recusals)
        got = [{k: d.get(k) for k in ("handle", "stratum", "rank", "inspectors")} for d in published.get("drawn", [])]
        if got != expected:
            problems.append(f"drawn: the re-run draws {len(expected)} objects; the published list differs "
                            f"({_first_difference(expected, got)})")
    except (DrawError, KeyError, TypeError, ValueError) as e:
        problems.append(f"cannot re-run the draw: {e}")
    return problems


def _first_difference(expected: list[dict], got: list[dict]) -> str:
    for i, (a, b) in enumerate(zip(expected, got, strict=False)):
        if a != b:
            return f"first at position {i + 1}: expected {a['handle']}, published {b.get('handle')}"
    return f"{len(got)} published"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sampling", description="Re-run a published 双随机 draw.")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("verify", help="verify task.json (the task's /api/public/v1 JSON)")
    check.add_argument("path", help="the published task JSON, or - for standard input")
    args = parser.parse_args(argv)
    with (sys.stdin if args.path == "-" else open(args.path, encoding="utf-8")) as f:
        published = json.load(f)
    problems = verify(published)
    number = (published.get("commitment") or {}).get("document", {}).get("task_number", "?")
    if problems:
        print(f"不一致 MISMATCH: task {number}")
        for p in problems:
            print(f"  - {p}")
        return 1
    print(f"一致 MATCH: task {number}: {len(published.get('drawn', []))} objects drawn from "
          f"{len(published.get('objects', []))}, seed {published.get('seed')}")
    return 0


if __name__ == "__main__":  # a copy of this one file is enough: python draw.py verify task.json
    raise SystemExit(main())
