"""The benchmark: ``python -m builder.bench`` (see __main__.py)."""
