"""Supervision by grade: 抽查事项清单, sampling tasks with a draw anyone can re-run (sampling.draw), results filed as
credit records, risk warnings raised by rules on credit events, talks (约谈) and the 重大失信风险预防清单."""

from backend.supervision import windows  # noqa: F401  (registers the window-near job)
from backend.supervision.models import (
    DrawnObject,
    Inspector,
    InspectorConflict,
    PreventionEntry,
    RiskWarning,
    SamplingTask,
    SupervisionItem,
    Talk,
)
from backend.supervision.warnings import CREDIT_LISTENERS, raise_warning

__all__ = ["CREDIT_LISTENERS", "DrawnObject", "Inspector", "InspectorConflict", "PreventionEntry", "RiskWarning",
           "SamplingTask", "SupervisionItem", "Talk", "raise_warning"]
