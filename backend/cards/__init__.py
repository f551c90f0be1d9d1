"""Printed resident cards for residents without a smartphone: issued at a service window, revocable at once."""

from backend.cards.issuing import card_holder, revoked_serials
from backend.cards.models import ResidentCard

__all__ = ["ResidentCard", "card_holder", "revoked_serials"]
