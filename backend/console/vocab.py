"""Words of the console: how an operator signed in."""

from __future__ import annotations

import enum


class SignInMethod(enum.StrEnum):
    TOKEN = "token"
    PASSWORD = "password"


SIGN_IN_ZH = {SignInMethod.TOKEN: "操作员凭证", SignInMethod.PASSWORD: "用户名、密码和动态口令"}
