"""URL converters registered on the app."""

from werkzeug.routing import IntegerConverter

from backend.platform.db import DB_INT_MAX


class IdConverter(IntegerConverter):
    """`<int:…>` bounded to the INTEGER of our id columns: a larger id is a 404, not a database overflow (500)."""

    def __init__(self, map, fixed_digits=0, min=None, max=DB_INT_MAX, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
