"""The command line: a thin typer layer over the library; errors become exit codes here."""
from .app import app, main

__all__ = ["app", "main"]
