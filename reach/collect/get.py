"""Get: one client per (service, region) and dumb paging of one call; failures become Gap records."""
from __future__ import annotations

import threading
from typing import Any

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

from .calls import Call

# What one call can end in besides its answer: AWS refusing it, botocore failing, or an endpoint
# that is not AWS (a proxy's HTML error page) whose body botocore's parsers cannot read; those
# raise ResponseParserError or, for some protocols, KeyError/ValueError from inside the parser.
CALL_FAILURES = (ClientError, BotoCoreError, ResponseParserError, KeyError, ValueError, TypeError)

# Throttling is retried with client-side rate limiting; only read-only calls are ever made.
RETRIES = {"mode": "adaptive", "max_attempts": 10}
# The first call only checks that the endpoint answers and the keys work: it fails fast.
PROBE = Config(retries={"mode": "standard", "max_attempts": 3}, connect_timeout=10, read_timeout=30,
               user_agent_extra="reach-collect")


class Clients:
    """boto3 clients made on demand from one session; sessions are not thread-safe, clients are."""

    def __init__(self, session: Any, *, endpoint_url: str | None = None, max_workers: int = 8) -> None:
        self._session = session
        self._endpoint_url = endpoint_url
        self._config = Config(retries=RETRIES, max_pool_connections=max(10, max_workers),
                              user_agent_extra="reach-collect")
        self._clients: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()

    def probe(self, service: str, region: str) -> Any:
        """A client that fails fast, for the first call: is the endpoint there, are the keys good."""
        with self._lock:
            return self._session.client(service, region_name=region,
                                        endpoint_url=self._endpoint_url, config=PROBE)

    def get(self, service: str, region: str) -> Any:
        with self._lock:
            client = self._clients.get((service, region))
            if client is None:
                client = self._session.client(service, region_name=region,
                                              endpoint_url=self._endpoint_url, config=self._config)
                self._clients[(service, region)] = client
            return client


def fetch(client: Any, call: Call, **params: Any) -> list[dict]:
    """Return every item of one call across all its pages, raw."""
    params = {**call.params, **params}
    if client.can_paginate(call.method):
        items: list[dict] = []
        for page in client.get_paginator(call.method).paginate(**params):
            items.extend(page.get(call.key) or [])
        return items
    return getattr(client, call.method)(**params).get(call.key) or []


def error_text(exc: Exception) -> str:
    """The AWS error code and message of a failed call, in one line."""
    if isinstance(exc, ClientError):
        err = exc.response.get("Error", {})
        code = err.get("Code") or "ClientError"
        message = " ".join(str(err.get("Message") or "").split())
        if code.isdigit():  # botocore names an error it could not parse by its HTTP status
            return f"HTTP {code} {message}, not an AWS API error".replace("  ", " ")
        return f"{code}: {message}" if message else code
    if not isinstance(exc, BotoCoreError):
        return "the answer is not an AWS API response (an HTML error page or a proxy's?)"
    return f"{type(exc).__name__}: {' '.join(str(exc).split())}"


def gap(call: Call, region: str, exc: Exception, resource_id: str | None = None) -> dict[str, str]:
    """A Gaps entry (service, call, region, error): the call failed and its data is missing."""
    text = error_text(exc)
    return {"Service": call.service, "Call": call.operation, "Region": region,
            "Error": f"{resource_id}: {text}" if resource_id else text}


def attempt(clients: Clients, region: str, call: Call, resource_id: str | None = None,
            **params: Any) -> tuple[list[dict] | None, dict[str, str] | None]:
    """Fetch one call; a refused or failed call (AccessDenied, region not enabled) is a gap."""
    try:
        return fetch(clients.get(call.service, region), call, **params), None
    except CALL_FAILURES as exc:
        return None, gap(call, region, exc, resource_id)
