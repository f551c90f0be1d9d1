"""Credit files: subjects, records (one, batch, CSV), grades by the versioned evaluation model, red/black/watch
lists and 一键查询. Other features import what they need from here (or from credit.vocab)."""

from backend.credit.accesses import (
    Viewer,
    accesses_of,
    operator_viewer,
    record_access,
)
from backend.credit.corrections import (
    apply_corrections,
    check_fields,
    correctable,
    stop_publication,
    take_off_list,
    value_of,
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
    put_on_watch_list,
)
from backend.credit.marks import (
    any_mark,
    clear_mark,
    item_of,
    marks_of,
    notes_for,
    on_shown_change,
    open_mark,
    set_mark,
    suspend_grade,
)
from backend.credit.models import (
    CreditMark,
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
from backend.credit.preferences import (
    POSITIVE_RECORD_CATEGORIES,
    preferences,
    set_hides_positive,
)
from backend.credit.records import (
    put_record,
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
    Grade,
    ListType,
    MarkedItem,
    MarkKind,
    RecordCategory,
    SubjectKind,
)

__all__ = [
    "GRADE_ZH",
    "POSITIVE_RECORD_CATEGORIES",
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
    "RecordCategory",
    "Subject",
    "SubjectKind",
    "Viewer",
    "accesses_of",
    "add_list_entry",
    "any_mark",
    "apply_corrections",
    "check_fields",
    "clear_mark",
    "correctable",
    "current_breakdown",
    "current_model",
    "find_subject",
    "get_or_create_organisation",
    "get_or_create_person",
    "grade_history",
    "grade_view",
    "item_of",
    "marks_of",
    "notes_for",
    "on_shown_change",
    "open_mark",
    "operator_viewer",
    "own_items",
    "person_by_handle",
    "person_by_resident_id",
    "preferences",
    "put_on_watch_list",
    "put_record",
    "recompute_subject",
    "record_access",
    "set_hides_positive",
    "set_mark",
    "stop_publication",
    "subject_by_handle",
    "suspend_grade",
    "take_off_list",
    "value_of",
]
