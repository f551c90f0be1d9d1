"""Credit files: subjects, records (one, batch, CSV), grades by the versioned evaluation model, red/black/watch
lists and 一键查询. Other features import what they need from here (or from credit.vocab)."""

from backend.credit import expiry  # noqa: F401  (registers the hourly expiry job)
from backend.credit.accesses import (
    Viewer,
    accesses_of,
    operator_viewer,
    record_access,
)
from backend.credit.changes import (
    changes_after,
    latest_cursor,
    record_change,
)
from backend.credit.commitments import (
    assess,
    commitments_of,
    put_commitment,
    restore_publication,
    withdraw,
)
from backend.credit.commitments import describe as describe_commitment
from backend.credit.corrections import (
    apply_corrections,
    check_fields,
    correctable,
    stop_publication,
    take_off_list,
    value_of,
)
from backend.credit.events import (
    case_changed,
)
from backend.credit.files import (
    grade_view,
    own_items,
)
from backend.credit.grades import (
    current_breakdown,
    current_model,
    grade_history,
    recompute_subject,
)
from backend.credit.lists import add_entry as add_list_entry
from backend.credit.lists import (
    end_entries_of_record,
    put_entry,
    put_on_watch_list,
)
from backend.credit.marks import (
    any_mark,
    clear_mark,
    entry_suspended,
    item_of,
    marks_of,
    notes_for,
    on_shown_change,
    open_mark,
    set_mark,
    suspend_grade,
)
from backend.credit.models import (
    Change,
    CreditCommitment,
    CreditMark,
    CreditRecord,
    FileAccess,
    GradeChange,
    GradingRun,
    JointBasis,
    JointMeasure,
    JointQuery,
    ListEntry,
    PublicationClass,
    Subject,
)
from backend.credit.preferences import (
    POSITIVE_DECLARATION_KINDS,
    POSITIVE_RECORD_CATEGORIES,
    preferences,
    set_hides_positive,
)
from backend.credit.publication import (
    min_period_passed,
    notice,
)
from backend.credit.record_import import (
    decode_csv,
)
from backend.credit.records import (
    change_data,
    put_record,
    remove_record,
)
from backend.credit.subjects import (
    find_subject,
    get_or_create_organisation,
    get_or_create_person,
    person_by_handle,
    person_by_resident_id,
    subject_by_handle,
)
from backend.credit.vocab import (
    GRADE_ZH,
    ChangeKind,
    Grade,
    ListType,
    MarkedItem,
    MarkKind,
    PublicationState,
    RecordCategory,
    SubjectKind,
)

__all__ = [
    "GRADE_ZH",
    "POSITIVE_DECLARATION_KINDS",
    "POSITIVE_RECORD_CATEGORIES",
    "Change",
    "ChangeKind",
    "CreditCommitment",
    "CreditMark",
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
    "MarkKind",
    "MarkedItem",
    "PublicationClass",
    "PublicationState",
    "RecordCategory",
    "Subject",
    "SubjectKind",
    "Viewer",
    "accesses_of",
    "add_list_entry",
    "any_mark",
    "apply_corrections",
    "assess",
    "case_changed",
    "change_data",
    "changes_after",
    "check_fields",
    "clear_mark",
    "commitments_of",
    "correctable",
    "current_breakdown",
    "current_model",
    "decode_csv",
    "describe_commitment",
    "end_entries_of_record",
    "entry_suspended",
    "find_subject",
    "get_or_create_organisation",
    "get_or_create_person",
    "grade_history",
    "grade_view",
    "item_of",
    "latest_cursor",
    "marks_of",
    "min_period_passed",
    "notes_for",
    "notice",
    "on_shown_change",
    "open_mark",
    "operator_viewer",
    "own_items",
    "person_by_handle",
    "person_by_resident_id",
    "preferences",
    "put_commitment",
    "put_entry",
    "put_on_watch_list",
    "put_record",
    "recompute_subject",
    "record_access",
    "record_change",
    "remove_record",
    "restore_publication",
    "set_hides_positive",
    "set_mark",
    "stop_publication",
    "subject_by_handle",
    "suspend_grade",
    "take_off_list",
    "value_of",
    "withdraw",
]
