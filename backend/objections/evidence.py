"""Evidence for an objection or a declaration: uploaded while the item can still take it, read by whoever may
see the item (the feature checks that before calling here)."""

from __future__ import annotations

from backend.objections.models import Declaration, Objection
from backend.objections.reading import DECLARATION_FILES, OBJECTION_FILES
from backend.objections.vocab import DeclarationState, ObjectionState
from backend.platform import audit, uploads
from backend.platform.db import use_case
from backend.platform.errors import Conflict, InvalidInput

# Evidence is taken until the credit office accepts an objection (it decides with what it has), and while a
# declaration is being verified or more is asked for.
OPEN_FOR_EVIDENCE = {OBJECTION_FILES: (ObjectionState.SUBMITTED, ObjectionState.REVIEWING),
                     DECLARATION_FILES: (DeclarationState.SUBMITTED, DeclarationState.VERIFYING,
                                         DeclarationState.MORE_INFO)}


@use_case
def add_evidence(item: Objection | Declaration, files: list[tuple[bytes, str | None]], *, actor: str) -> list[dict]:
    """Keep the files under the item; raises InvalidInput (upload_*; none given), Conflict (objection_state,
    declaration_state) once the item takes no more. Nothing is stored when any file is refused."""
    kind = OBJECTION_FILES if isinstance(item, Objection) else DECLARATION_FILES
    if item.state not in OPEN_FOR_EVIDENCE[kind]:
        code = "objection_state" if kind == OBJECTION_FILES else "declaration_state"
        raise Conflict(f"{item.number} 已进入核实环节，不能再上传材料。", code=code, details={"state": item.state})
    if not files:
        raise InvalidInput("files：请选择要上传的证明材料（PDF、PNG 或 JPEG）。", code="upload_empty",
                           details={"field": "files"})
    kept = [uploads.store(data, name, owner_kind=kind, owner_ref=item.number, actor=actor) for data, name in files]
    audit.record(actor, f"{kind}.evidence", kind, item.number, details={"files": [u.ref for u in kept],
                                                                        "sha256": [u.sha256 for u in kept]})
    return [uploads.describe(u) for u in kept]


def evidence_file(item: Objection | Declaration, ref: str) -> uploads.Upload:
    """Raises NotFound (upload_not_found)."""
    kind = OBJECTION_FILES if isinstance(item, Objection) else DECLARATION_FILES
    return uploads.get(ref, owner_kind=kind, owner_ref=item.number)
