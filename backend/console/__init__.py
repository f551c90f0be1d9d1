"""The operator console: a Chinese web workplace (server-rendered pages under /console) for departments, market
offices, service windows, partners and admins, on the same use cases and role/scope checks as the API.

Its own data is the browser sessions and the optional username/password/TOTP sign-in of operators; the pages are
in `views/` (an entry point: only the app factory imports it)."""

from backend.console.models import ConsoleLogin, ConsoleSession

__all__ = ["ConsoleLogin", "ConsoleSession"]
