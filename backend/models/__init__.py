"""All models, imported here so Alembic and the app see one metadata."""

from backend.models.base import Base
from backend.models.commitments import Commitment
from backend.models.credit import GradingRun, JointMeasure
from backend.models.markets import Inspection, Market, Merchant
from backend.models.miniprogram import MerchantBindingCode, MerchantOwner, MpAccount, MpSession
from backend.models.records import CreditRecord, GradeChange, ListEntry
from backend.models.scanning import Incentive, Partner, Redemption, RevokedCode, Scan, ScannerDevice, Scenario
from backend.models.security import AuditEntry, AuditHead, Operator, SigningKey
from backend.models.subjects import GRADE_ZH, Subject, SubjectKind

__all__ = [
    "AuditEntry", "AuditHead", "Base", "Commitment", "CreditRecord", "GRADE_ZH", "GradeChange", "GradingRun",
    "Incentive", "Inspection", "JointMeasure", "ListEntry", "Market", "Merchant", "MerchantBindingCode",
    "MerchantOwner", "MpAccount", "MpSession", "Operator", "Partner", "Redemption", "RevokedCode", "Scan",
    "ScannerDevice", "Scenario", "SigningKey", "Subject", "SubjectKind",
]
