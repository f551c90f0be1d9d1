"""The app as gunicorn serves it, plus one trivial endpoint: the baseline for bench_merchant's ratio."""

from backend.app import create_app

app = create_app()


@app.get("/bench/hello")
def hello():
    """No database, no template: what Flask and gunicorn cost alone."""
    return "ok"
