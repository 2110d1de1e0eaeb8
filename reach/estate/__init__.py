"""The estate: a snapshot indexed by id, with the lookups and typed caches the engine reads."""
from .indexes import Estate

__all__ = ["Estate"]
