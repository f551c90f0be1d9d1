"""Rotating KEY_ENCRYPTION_KEY as docs/deployment.md says: afterwards the old key can really be dropped."""

from __future__ import annotations

from cryptography.fernet import Fernet
from sqlalchemy import select

from backend.accounts import sessions as mp_sessions
from backend.keys.ring import keyring
from backend.models import MpAccount, SigningKey, Subject
from backend.platform.crypto import decrypt
from tests.factories import person


def _use_keys(app, keys: str) -> None:
    app.config["KEY_ENCRYPTION_KEY"] = keys
    app.extensions.pop("field_cipher", None)  # the cipher is cached per app


def test_every_encrypted_column_is_readable_with_only_the_new_key(app, db, runner):
    person("周文华")
    mp_sessions.login("o-rotation", "c2Vzc2lvbi1rZXk=")
    keyring()  # creates the signing key (its private half is encrypted)
    old, new = app.config["KEY_ENCRYPTION_KEY"], Fernet.generate_key().decode()

    _use_keys(app, f"{new},{old}")
    result = runner.invoke(args=["rotate-encryption-key"])
    assert result.exit_code == 0, result.output
    _use_keys(app, new)
    db.session.expire_all()

    values = [v for row in db.session.execute(select(Subject.name_enc, Subject.resident_id_enc)) for v in row]
    values += [v for row in db.session.execute(select(MpAccount.openid_enc, MpAccount.session_key_enc)) for v in row]
    values += list(db.session.scalars(select(SigningKey.private_key_enc)))
    assert len(values) == 5 and all(values)
    assert [decrypt(v) for v in values][2:4] == [b"o-rotation", b"c2Vzc2lvbi1rZXk="]
