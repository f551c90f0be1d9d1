"""Merchants of the 马宫 market and the 三马路 street: their management by market offices, inspections and
commitments filed as credit records, printed 一码查信 stickers and posters, the public pages, and owners
bound in the mini-program."""

from backend.merchants.models import (
    Inspection,
    InspectionAgency,
    Market,
    Merchant,
    MerchantBindingCode,
    MerchantLinkRequest,
    MerchantOwner,
)
from backend.merchants.owners import (
    owned_merchant,
    owned_merchants,
)
from backend.merchants.pages import (
    forget_pages,
    grade_meaning,
    grade_scale,
)

__all__ = [
    "Inspection",
    "InspectionAgency",
    "Market",
    "Merchant",
    "MerchantBindingCode",
    "MerchantLinkRequest",
    "MerchantOwner",
    "forget_pages",
    "grade_meaning",
    "grade_scale",
    "owned_merchant",
    "owned_merchants",
]
