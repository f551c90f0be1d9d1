"""Credit repair (信用修复, 36号令): applications by residents, merchants' owners and organisations (service
window), decided by the department that filed the record, with working-day deadlines; approval ends the
record's publication and the list entries founded on it, re-grades and propagates through the change feed."""

from backend.repair.applications import (
    COMMITMENT_LIABILITY,
    COMMITMENT_TEXT,
    complete,
    mine,
    my_applications,
    submit_as_owner,
    submit_as_resident,
)
from backend.repair.models import RepairApplication
from backend.repair.presenting import describe

__all__ = ["COMMITMENT_LIABILITY", "COMMITMENT_TEXT", "RepairApplication", "complete", "describe", "mine",
           "my_applications", "submit_as_owner",
           "submit_as_resident"]
