"""Marshmallow schemas: request validation and the OpenAPI description come from these."""
