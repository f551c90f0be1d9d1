"""Schemas of the platform endpoints."""

import marshmallow as ma

import backend.platform.web.schemas  # noqa: F401  (Chinese validation messages)


class HealthSchema(ma.Schema):
    status = ma.fields.String(required=True, metadata={"example": "ok"})
    database = ma.fields.String(required=True, metadata={"example": "ok", "description": "ok | unreachable"})
    signing_key = ma.fields.String(required=True, metadata={
        "example": "ok", "description": "ok | missing (created on first use) | undecryptable (wrong "
                                        "KEY_ENCRYPTION_KEY) | unknown (database unreachable or not migrated)"})


class JwkSchema(ma.Schema):
    kty = ma.fields.String(required=True, metadata={"example": "OKP"})
    crv = ma.fields.String(required=True, metadata={"example": "Ed25519"})
    x = ma.fields.String(required=True)
    kid = ma.fields.String(required=True)
    alg = ma.fields.String(required=True, metadata={"example": "EdDSA"})
    use = ma.fields.String(required=True, metadata={"example": "sig"})


class JwksSchema(ma.Schema):
    keys = ma.fields.List(ma.fields.Nested(JwkSchema), required=True)


class CheckpointSchema(ma.Schema):
    checkpoint = ma.fields.String(required=True, metadata={
        "description": "compact JWS (EdDSA, typ sw-audit-checkpoint+jwt) of {seq, hash, iat, prev}"})
    seq = ma.fields.Integer(required=True, metadata={"description": "position of the audit entry it signs"})
    hash = ma.fields.String(required=True, metadata={"description": "that entry's chain hash (SHA-256, hex)"})
    signed_at = ma.fields.DateTime(required=True)
    kid = ma.fields.String(required=True)
    typ = ma.fields.String(required=True, metadata={"example": "sw-audit-checkpoint+jwt"})
    jwk = ma.fields.Nested(JwkSchema, allow_none=True, metadata={
        "description": "the public key that signed it, as in the JWKS (null once the key has left the JWKS)"})
