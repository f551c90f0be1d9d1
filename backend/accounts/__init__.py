"""WeChat mini-program accounts: login sessions, real-name binding to a person, voiding one's codes."""

from backend.accounts.models import MpAccount, MpSession
from backend.accounts.sessions import MpPrincipal, authenticate, require_bound

__all__ = ["MpAccount", "MpPrincipal", "MpSession", "authenticate", "require_bound"]
