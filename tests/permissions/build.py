"""Small builders for permission tests: a request by a function's role and its gates."""
from __future__ import annotations

from reach.model.iam import PolicyDocument
from reach.permissions import Caller, Context, Gates, Policy, PolicyKind, Request, Resource

ACCOUNT = "111122223333"
OTHER = "444455556666"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/app"
SESSION = f"arn:aws:sts::{ACCOUNT}:assumed-role/app/orders-api"
TABLE = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/orders"
CALLER = Caller(ROLE, ACCOUNT, SESSION)


def doc(*statements: dict) -> PolicyDocument:
    return PolicyDocument.model_validate({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action="dynamodb:PutItem", resource=TABLE, **more) -> dict:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **more}


def deny(action="dynamodb:PutItem", resource=TABLE, **more) -> dict:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **more}


def policy(name: str, *statements: dict, kind=PolicyKind.IDENTITY, level=None) -> Policy:
    return Policy(name, kind, doc(*statements), level=level)


def request(action="dynamodb:PutItem", resource=TABLE, *, open=False, account=ACCOUNT,
            endpoint: str | None = None, vpc: str | None = None) -> Request:
    values = {"aws:principalarn": (ROLE,), "aws:principalaccount": (ACCOUNT,),
              "aws:requestedregion": ("us-east-1",), "aws:securetransport": ("true",)}
    if endpoint:
        values["aws:sourcevpce"] = (endpoint,)
    if vpc:
        values["aws:sourcevpc"] = (vpc,)
    return Request(action, Resource(resource, open), account, CALLER, Context(values))


def gates(identity=(), **more) -> Gates:
    return Gates(identity=list(identity), role=ROLE, **more)
