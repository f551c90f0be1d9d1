"""Driving the console with Flask's test client: sign in with a token, read the CSRF token from a page, post forms."""

from __future__ import annotations

import html
import re

from tests.factories import operator_token

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


class ConsoleClient:
    """A browser-like client of /console: cookies kept by the test client, the CSRF token read from pages."""

    def __init__(self, client) -> None:
        self.client = client
        self.csrf = ""

    def sign_in(self, token: str, follow: bool = True):
        page = self.client.get("/console/sign-in")
        resp = self.client.post("/console/sign-in", data={"csrf_token": csrf_of(page.get_data(as_text=True)),
                                                          "method": "token", "token": token})
        if resp.status_code == 303 and follow:
            self.get("/console/")
        return resp

    def get(self, path: str, **kw):
        resp = self.client.get(path, **kw)
        text = resp.get_data(as_text=True) if resp.mimetype == "text/html" else ""
        if (found := CSRF.search(text)) is not None:
            self.csrf = found.group(1)
        return resp

    def post(self, path: str, data: dict | None = None, csrf: bool = True, **kw):
        body = {**(data or {}), **({"csrf_token": self.csrf} if csrf else {})}
        return self.client.post(path, data=body, **kw)


def signed_in(client, role: str = "admin", **scope) -> ConsoleClient:
    """A console client signed in as a new operator of `role`."""
    c = ConsoleClient(client)
    assert c.sign_in(operator_token(role, **scope)).status_code == 303
    return c


def text_of(resp) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", resp.get_data(as_text=True)))
