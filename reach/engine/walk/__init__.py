"""The walk of one Hyperplane ENI's packets hop by hop (aws-rules.md §0-§7), as a one-way package.

state (the walk's bookkeeping) → links (TGW lookups) → fixes → gates (SG, NACL) → deliver (arrival,
replies) → endpoints → nat → tgw (transit gateways, transit through a VPC) → route (the source
subnet's routes and their targets). Each module imports only those before it."""
from __future__ import annotations

from .route import start as run
from .state import Source, Walk

__all__ = ["Source", "Walk", "run"]
