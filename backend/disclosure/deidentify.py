"""De-identification of natural persons in everything public (深圳条例 art. 38; 45号令 art. 6): no name, no id
number, no phone; what a department typed into free text is scrubbed of the party's name and of id and phone
patterns. One place, so every public output (pages, JSON, feed, verification page) says the same."""

from __future__ import annotations

import re

from backend.disclosure.vocab import PRIVATE_FIELDS, PartyCategory

PERSON_SHOWN = "自然人（已去标识化）"
ID_PATTERN = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])\d{2}\d{3}[\dXx](?![0-9A-Za-z])")
PHONE_PATTERN = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
FREE_TEXT = ("WFXW", "SY", "NR", "NR_ZKDX", "BZ", "XKZS", "XKWS")
# Names of people beside the party: 法定代表人 is public for an organisation's register, not for an individual
# business (whose 经营者 is a person) nor, of course, for a natural person.
PERSONAL_FOR = {PartyCategory.PERSON: ("FRDB",), PartyCategory.INDIVIDUAL: ("FRDB",)}


def scrub(text: str | None, names: tuple[str, ...] = ()) -> str | None:
    """Text with id numbers, mobile numbers and the given names replaced."""
    if text is None:
        return None
    text = ID_PATTERN.sub("***", text)
    text = PHONE_PATTERN.sub("***", text)
    for name in names:
        if name and len(name) >= 2:
            text = text.replace(name, "某某")
    return text


def person_names(party_category: str, items: dict) -> tuple[str, ...]:
    """Names of people in a decision's items that public text must not carry."""
    names = (items.get("XDR_MC") or "",) if party_category == PartyCategory.PERSON else ()
    return (*names, *(items.get(code) or "" for code in PERSONAL_FOR.get(party_category, ())))


def public_items(party_category: str, items: dict) -> dict:
    """The national items as the public may see them (never PRIVATE_FIELDS)."""
    shown = {k: v for k, v in items.items() if k not in PRIVATE_FIELDS}
    names = person_names(party_category, items)
    if party_category == PartyCategory.PERSON:
        shown["XDR_MC"] = PERSON_SHOWN
    for code in PERSONAL_FOR.get(party_category, ()):
        shown.pop(code, None)
    for code in FREE_TEXT:
        if code in shown:
            shown[code] = scrub(shown[code], names)
    return shown


def public_name(subject) -> str | None:
    """How a subject is named publicly: organisations and merchants by name, persons not at all."""
    return None if subject.kind == "person" else subject.display_name
