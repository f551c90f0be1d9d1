"""信易贷: banks as a party, subjects' authorisations, signed financing profiles with every fetch logged and
shown to the subject, loan applications with their outcomes, and monthly statistics for the credit office."""

from backend.banks.history import bank_fetches_of
from backend.banks.models import Bank, BankAuthorisation, BankFetch, LoanApplication
from backend.banks.profiles import PROFILE_TYP, register_scope_source
from backend.banks.registry import create_bank_operator, register_bank

__all__ = ["PROFILE_TYP", "Bank", "BankAuthorisation", "BankFetch", "LoanApplication", "bank_fetches_of",
           "create_bank_operator", "register_bank", "register_scope_source"]
