"""The differential check: an independent packet simulator against the engine."""
