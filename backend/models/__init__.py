"""All models, imported here so Alembic and the app see one metadata."""

from backend.models.base import Base
from backend.models.credit import GradingRun, JointMeasure
from backend.models.markets import Inspection, Market, Merchant
from backend.models.records import CreditRecord, GradeChange, ListEntry
from backend.models.scanning import Incentive, Partner, Redemption, Scan, ScannerDevice, Scenario
from backend.models.security import AuditEntry, AuditHead, Operator, SigningKey
from backend.models.subjects import GRADE_ZH, Subject, SubjectKind

__all__ = [
    "AuditEntry", "AuditHead", "Base", "CreditRecord", "GRADE_ZH", "GradeChange", "GradingRun", "Incentive", "JointMeasure",
    "Inspection", "ListEntry", "Market", "Merchant", "Operator", "Partner", "Redemption", "Scan",
    "ScannerDevice", "Scenario", "SigningKey", "Subject", "SubjectKind",
]
