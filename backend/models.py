"""All models, imported here so Alembic and the app see one metadata."""

from backend.platform.db import Base
from backend.merchants.commitment_models import Commitment
from backend.credit.measure_models import GradingRun, JointMeasure
from backend.merchants.models import Inspection, Market, Merchant
from backend.accounts.models import MerchantBindingCode, MerchantOwner, MpAccount, MpSession
from backend.credit.models import CreditRecord, GradeChange, ListEntry
from backend.scanning.models import Incentive, Partner, Redemption, RevokedCode, Scan, ScannerDevice, Scenario
from backend.platform.access import AuditEntry, AuditHead, Operator, SigningKey
from backend.credit.subject_models import GRADE_ZH, Subject, SubjectKind

__all__ = [
    "AuditEntry", "AuditHead", "Base", "Commitment", "CreditRecord", "GRADE_ZH", "GradeChange", "GradingRun",
    "Incentive", "Inspection", "JointMeasure", "ListEntry", "Market", "Merchant", "MerchantBindingCode",
    "MerchantOwner", "MpAccount", "MpSession", "Operator", "Partner", "Redemption", "RevokedCode", "Scan",
    "ScannerDevice", "Scenario", "SigningKey", "Subject", "SubjectKind",
]
