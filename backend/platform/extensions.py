"""Extension objects only; they are bound to the app in backend.app (db itself lives in platform.db)."""

import threading

import marshmallow as ma
from flask_limiter import Limiter
from flask_migrate import Migrate
from flask_smorest import Api as _SmorestApi
from flask_smorest import Blueprint as _SmorestBlueprint
from flask_smorest.spec.plugins import integerconverter2paramschema
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request

from backend.platform.db import db
from backend.platform.web.auth import rate_limit_key
from backend.platform.web.converters import IdConverter
from backend.platform.web.limits import view_without_limits
from backend.platform.web.schemas import ErrorEnvelopeSchema


class Api(_SmorestApi):
    """flask-smorest Api documenting our error envelope; errors are handled by platform.web.errors.

    The OpenAPI document is built when it is first read (`/openapi.json`, `/docs`, `api.spec`), not while the
    app is created: documenting ~220 operations was 0.36 s of the 0.6 s `create_app` took, paid by every gunicorn
    worker at start and by every test. The routes themselves are registered at once, as before.
    """

    ERROR_SCHEMA = ErrorEnvelopeSchema

    def __init__(self, *args, **kwargs) -> None:
        self._spec = None
        self._undocumented: list[tuple] = []
        self._documenting = threading.Lock()
        super().__init__(*args, **kwargs)

    @property
    def spec(self):
        if self._undocumented:
            with self._documenting:  # two threads of one worker may ask for /openapi.json at once
                while self._undocumented:
                    blp, name, parameters = self._undocumented.pop(0)
                    blp.register_views_in_doc(self, self._app, self._spec, name=name, parameters=parameters)
                    self._spec.tag({"name": name, "description": blp.description})
        return self._spec

    @spec.setter
    def spec(self, value) -> None:
        # flask-smorest sets a new APISpec on each init_app: what was waiting belonged to the previous app.
        self._spec = value
        self._undocumented = []

    def register_blueprint(self, blp, *, parameters=None, **options):
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undocumented.append((blp, name, parameters))

    def _register_error_handlers(self):
        # platform.web.errors registers one handler for every error; smorest's own shape is not used.
        pass


class ArgumentsParser(FlaskParser):
    """webargs' parser with two per-request costs removed (measured on POST /api/scan/v1/verify):

    - views pass schema classes to blp.arguments, and webargs built a new schema instance for every request
      (~0.1 ms); one instance per class is reused (marshmallow schemas hold no per-load state);
    - the JSON body was decoded twice: platform.web.hooks.require_json_body already parsed it (and refused
      bad JSON with a 400), and Flask keeps that result on the request.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._schemas: dict[type, ma.Schema] = {}

    def _get_schema(self, argmap, req):
        if isinstance(argmap, type) and issubclass(argmap, ma.Schema):
            schema = self._schemas.get(argmap)
            if schema is None:
                schema = self._schemas[argmap] = argmap()
            return schema
        return super()._get_schema(argmap, req)

    def _raw_load_json(self, req):
        if not is_json_request(req) or not req.get_data(cache=True):
            return core.missing
        return req.get_json()


# flask-smorest's documented extension point (Blueprint.ARGUMENTS_PARSER), set once for every blueprint.
_SmorestBlueprint.ARGUMENTS_PARSER = ArgumentsParser()
migrate = Migrate()
api = Api()
api.register_converter(IdConverter, integerconverter2paramschema)
limiter = Limiter(key_func=rate_limit_key, default_limits=[])
limiter.request_filter(lambda: view_without_limits(limiter))  # only views with a limit pay for the check


__all__ = ["api", "db", "limiter", "migrate"]
