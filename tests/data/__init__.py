"""Test data: the set files the tests load (*.toml) and the big case tables (*.py)."""
