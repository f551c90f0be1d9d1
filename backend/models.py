"""The registry of every table: imports each feature's models so Alembic and the tests see one metadata.

Only backend.app, migrations/ and tests import this module; features import each other's models
from the feature package (e.g. `from backend.credit import Subject`).
"""

from backend.accounts.models import (
    CounterCode,
    FaceVerification,
    MpAccount,
    MpSession,
)
from backend.banks.models import (
    Bank,
    BankAuthorisation,
    BankFetch,
    LoanApplication,
)
from backend.cards.models import (
    ResidentCard,
)
from backend.console.models import (
    ConsoleLogin,
    ConsoleSession,
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
from backend.credit.vocab import (
    GRADE_ZH,
    SubjectKind,
)
from backend.disclosure.models import (
    CreditReport,
    Disclosure,
    DisclosureEvent,
    ReportVerification,
)
from backend.keys.models import (
    SigningKey,
)
from backend.merchants.models import (
    Inspection,
    InspectionAgency,
    Market,
    Merchant,
    MerchantBindingCode,
    MerchantLinkRequest,
    MerchantOwner,
)
from backend.notifications.models import (
    PushMessage,
    PushSubscription,
)
from backend.objections.models import (
    Declaration,
    Objection,
    ObjectionCorrection,
    ObjectionStep,
)
from backend.platform.access import (
    Operator,
)
from backend.platform.audit import (
    AuditEntry,
    AuditHead,
)
from backend.platform.audit_checkpoints import (
    AuditCheckpoint,
)
from backend.platform.calendar import (
    CalendarDay,
    CalendarYear,
)
from backend.platform.db import (
    Base,
)
from backend.platform.jobs import (
    Job,
)
from backend.platform.uploads import (
    Upload,
)
from backend.repair.models import (
    RepairApplication,
)
from backend.scanning.models import (
    Incentive,
    Partner,
    Redemption,
    Scan,
    ScannerDevice,
    Scenario,
    TrustBundle,
)
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

__all__ = [
    "GRADE_ZH",
    "AuditCheckpoint",
    "AuditEntry",
    "AuditHead",
    "Bank",
    "BankAuthorisation",
    "BankFetch",
    "Base",
    "CalendarDay",
    "CalendarYear",
    "Change",

    "ConsoleLogin",
    "ConsoleSession",
    "CounterCode",
    "CreditCommitment",
    "CreditMark",
    "CreditRecord",
    "CreditReport",
    "Declaration",
    "Disclosure",
    "DisclosureEvent",
    "DrawnObject",
    "FaceVerification",
    "FileAccess",
    "GradeChange",
    "GradingRun",
    "Incentive",
    "Inspection",
    "InspectionAgency",
    "Inspector",
    "InspectorConflict",
    "Job",
    "JointBasis",
    "JointMeasure",
    "JointQuery",
    "ListEntry",
    "LoanApplication",
    "Market",
    "Merchant",
    "MerchantBindingCode",
    "MerchantLinkRequest",
    "MerchantOwner",
    "MpAccount",
    "MpSession",
    "Objection",
    "ObjectionCorrection",
    "ObjectionStep",
    "Operator",
    "Partner",
    "PreventionEntry",
    "PublicationClass",
    "PushMessage",
    "PushSubscription",
    "Redemption",
    "RepairApplication",
    "ReportVerification",
    "ResidentCard",
    "RiskWarning",
    "SamplingTask",
    "Scan",
    "ScannerDevice",
    "Scenario",
    "SigningKey",
    "Subject",
    "SubjectKind",
    "SupervisionItem",
    "Talk",
    "TrustBundle",
    "Upload",
]
