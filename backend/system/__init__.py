"""Platform endpoints anyone may call (health, JWKS) and the monitoring scrape (/metrics)."""
