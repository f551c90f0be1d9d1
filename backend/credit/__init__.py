"""Credit files: subjects, records (one, batch, CSV), grades by the versioned evaluation model, red/black/watch
lists and 一键查询. Other features import what they need from here (or from credit.vocab)."""

from backend.credit import expiry  # noqa: F401  (registers the hourly expiry job)
from backend.credit.changes import changes_after, latest_cursor, record_change
from backend.credit.commitments import (
    assess,
    commitments_of,
    put_commitment,
    restore_publication,
    withdraw,
)
from backend.credit.commitments import describe as describe_commitment
from backend.credit.files import grade_view
from backend.credit.grades import current_breakdown, current_model, grade_history, recompute_subject
from backend.credit.lists import end_entries_of_record, put_entry
from backend.credit.models import (
    Change,
    CreditCommitment,
    CreditRecord,
    GradeChange,
    GradingRun,
    JointBasis,
    JointMeasure,
    JointQuery,
    ListEntry,
    PublicationClass,
    Subject,
)
from backend.credit.publication import min_period_passed, notice
from backend.credit.records import change_data, put_record
from backend.credit.subjects import (
    find_subject,
    get_or_create_organisation,
    get_or_create_person,
    person_by_handle,
    person_by_resident_id,
    subject_by_handle,
)
from backend.credit.vocab import GRADE_ZH, ChangeKind, Grade, ListType, PublicationState, RecordCategory, SubjectKind

__all__ = [
    "GRADE_ZH",
    "Change",
    "ChangeKind",
    "CreditCommitment",
    "CreditRecord",
    "Grade",
    "GradeChange",
    "GradingRun",
    "JointBasis",
    "JointMeasure",
    "JointQuery",
    "ListEntry",
    "ListType",
    "PublicationClass",
    "PublicationState",
    "RecordCategory",
    "Subject",
    "SubjectKind",
    "assess",
    "change_data",
    "changes_after",
    "commitments_of",
    "current_breakdown",
    "current_model",
    "describe_commitment",
    "end_entries_of_record",
    "find_subject",
    "get_or_create_organisation",
    "get_or_create_person",
    "grade_history",
    "grade_view",
    "latest_cursor",
    "min_period_passed",
    "notice",
    "person_by_handle",
    "person_by_resident_id",
    "put_commitment",
    "put_entry",
    "put_record",
    "recompute_subject",
    "record_change",
    "restore_publication",
    "subject_by_handle",
    "withdraw",
]
