"""The app's JSON provider: Chinese as text, and bodies that PostgreSQL could not store refused as bad JSON."""

from __future__ import annotations

from flask.json.provider import DefaultJSONProvider


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class NulRejectingJSONProvider(DefaultJSONProvider):
    """Bodies with "\\u0000" in a string fail to parse (400): PostgreSQL text cannot hold NUL (was a 500)."""

    ensure_ascii = False  # Chinese text as text, not \\uXXXX

    def loads(self, s, **kwargs):
        try:
            value = super().loads(s, **kwargs)
            has_nul = _has_nul(value)
        except RecursionError:  # e.g. 10,000 nested arrays: a 400, not a 500
            raise ValueError("JSON nested too deeply") from None
        if has_nul:
            raise ValueError("NUL character in a JSON string")
        return value
