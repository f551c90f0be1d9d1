"""WeChat mini-program API (/api/mp/v1)."""
