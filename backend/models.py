"""The registry of every table: imports each feature's models so Alembic and the tests see one metadata.

Only backend.app, migrations/ and tests import this module; features import each other's models
from the feature package (e.g. `from backend.credit import Subject`).
"""

from backend.accounts.models import CounterCode, FaceVerification, MpAccount, MpSession
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
from backend.credit.vocab import GRADE_ZH, SubjectKind
from backend.disclosure.models import CreditReport, Disclosure, DisclosureEvent, ReportVerification
from backend.keys.models import SigningKey
from backend.merchants.models import (
    Commitment,
    Inspection,
    InspectionAgency,
    Market,
    Merchant,
    MerchantBindingCode,
    MerchantLinkRequest,
    MerchantOwner,
)
from backend.platform.access import Operator
from backend.platform.audit import AuditEntry, AuditHead
from backend.platform.audit_checkpoints import AuditCheckpoint
from backend.platform.calendar import CalendarDay, CalendarYear
from backend.platform.db import Base
from backend.platform.jobs import Job
from backend.platform.uploads import Upload
from backend.scanning.models import Incentive, Partner, Redemption, Scan, ScannerDevice, Scenario, TrustBundle

__all__ = [
    "GRADE_ZH",
    "AuditCheckpoint",
    "AuditEntry",
    "AuditHead",
    "Base",
    "CalendarDay",
    "CalendarYear",
    "Commitment",
    "CounterCode",
    "CreditRecord",
    "CreditReport",
    "Disclosure",
    "DisclosureEvent",
    "FaceVerification",
    "FileAccess",
    "GradeChange",
    "GradingRun",
    "Incentive",
    "Inspection",
    "InspectionAgency",
    "Job",
    "JointBasis",
    "JointMeasure",
    "JointQuery",
    "ListEntry",
    "Market",
    "Merchant",
    "MerchantBindingCode",
    "MerchantLinkRequest",
    "MerchantOwner",
    "MpAccount",
    "MpSession",
    "Operator",
    "Partner",
    "Redemption",
    "ReportVerification",
    "Scan",
    "ScannerDevice",
    "Scenario",
    "SigningKey",
    "Subject",
    "SubjectKind",
    "TrustBundle",
    "Upload",
]
