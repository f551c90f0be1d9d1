"""The verifiable 双随机 draw: a pure library (standard library only, no Flask, no database, nothing of the
app), so anyone can re-run a published draw: `python -m sampling verify task.json`."""

from sampling.draw import (
    ALGORITHM,
    DrawError,
    commitment_of,
    derive_seed,
    draw,
    objects_digest,
    quota,
    verify,
)

__all__ = ["ALGORITHM", "DrawError", "commitment_of", "derive_seed", "draw", "objects_digest", "quota", "verify"]
