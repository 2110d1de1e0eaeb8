"""`python -m reach`: the same as the `reach` command."""
from .cli import main

main()
