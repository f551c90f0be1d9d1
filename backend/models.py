"""The registry of every table: imports each feature's models so Alembic and the tests see one metadata.

Only backend.app, migrations/ and tests import this module; features import each other's models
from the feature package (e.g. `from backend.credit import Subject`).
"""

from backend.accounts.models import MpAccount, MpSession
from backend.credit.models import (
    CreditRecord,
    GradeChange,
    GradingRun,
    JointBasis,
    JointMeasure,
    JointQuery,
    ListEntry,
    Subject,
)
from backend.credit.vocab import GRADE_ZH, SubjectKind
from backend.keys.models import SigningKey
from backend.merchants.models import Commitment, Inspection, Market, Merchant, MerchantBindingCode, MerchantOwner
from backend.platform.access import Operator
from backend.platform.audit import AuditEntry, AuditHead
from backend.platform.db import Base
from backend.scanning.models import Incentive, Partner, Redemption, RevokedCode, Scan, ScannerDevice, Scenario

__all__ = [
    "GRADE_ZH", "AuditEntry", "AuditHead", "Base", "Commitment", "CreditRecord", "GradeChange", "GradingRun",
    "Incentive", "Inspection", "JointBasis", "JointMeasure", "JointQuery", "ListEntry", "Market", "Merchant",
    "MerchantBindingCode", "MerchantOwner", "MpAccount", "MpSession", "Operator", "Partner", "Redemption",
    "RevokedCode", "Scan", "ScannerDevice", "Scenario", "SigningKey", "Subject", "SubjectKind",
]
