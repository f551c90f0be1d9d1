"""Schemas of the platform endpoints."""

import marshmallow as ma

import backend.platform.web.schemas  # noqa: F401  (Chinese validation messages)


class HealthSchema(ma.Schema):
    status = ma.fields.String(required=True, metadata={"example": "ok"})
    database = ma.fields.String(required=True, metadata={"example": "ok"})


class JwkSchema(ma.Schema):
    kty = ma.fields.String(required=True, metadata={"example": "OKP"})
    crv = ma.fields.String(required=True, metadata={"example": "Ed25519"})
    x = ma.fields.String(required=True)
    kid = ma.fields.String(required=True)
    alg = ma.fields.String(required=True, metadata={"example": "EdDSA"})
    use = ma.fields.String(required=True, metadata={"example": "sig"})


class JwksSchema(ma.Schema):
    keys = ma.fields.List(ma.fields.Nested(JwkSchema), required=True)
