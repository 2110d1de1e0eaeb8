"""reach's version, read by packaging (pyproject.toml) and by the answer cache."""

__version__ = "0.1.0"
