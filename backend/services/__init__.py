"""Use cases. Each owns its transaction and raises backend.services.errors, never abort()."""
