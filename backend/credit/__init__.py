"""Credit files: subjects, records (one, batch, CSV), grades by the versioned evaluation model, red/black/watch
lists and 一键查询. Other features import what they need from here (or from credit.vocab)."""

from backend.credit.accesses import Viewer, accesses_of, operator_viewer, record_access
from backend.credit.files import grade_view
from backend.credit.grades import current_breakdown, current_model, grade_history, recompute_subject
from backend.credit.models import (
    CreditRecord,
    FileAccess,
    GradeChange,
    GradingRun,
    JointBasis,
    JointMeasure,
    JointQuery,
    ListEntry,
    Subject,
)
from backend.credit.record_import import decode_csv
from backend.credit.records import put_record, remove_record
from backend.credit.subjects import (
                                     get_or_create_organisation,
                                     get_or_create_person,
                                     person_by_handle,
                                     person_by_resident_id,
                                     subject_by_handle,
)
from backend.credit.vocab import GRADE_ZH, Grade, ListType, RecordCategory, SubjectKind

__all__ = [
    "GRADE_ZH",
    "CreditRecord",
    "FileAccess",
    "Grade",
    "GradeChange",
    "GradingRun",
    "JointBasis",
    "JointMeasure",
    "JointQuery",
    "ListEntry",
    "ListType",
    "RecordCategory",
    "Subject",
    "SubjectKind",
    "Viewer",
    "accesses_of",
    "current_breakdown",
    "current_model",
    "decode_csv",
    "get_or_create_organisation",
    "get_or_create_person",
    "grade_history",
    "grade_view",
    "operator_viewer",
    "person_by_handle",
    "person_by_resident_id",
    "put_record",
    "recompute_subject",
    "record_access",
    "remove_record",
    "subject_by_handle",
]
