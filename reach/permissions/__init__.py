"""Permissions: AWS's policy evaluation for a function's calls (below the engine; imports only model)."""
from .catalogue import action_info, expand
from .decide import ActionDecision, Fix, Gates, decide
from .evaluate import Caller, Decider, Policy, PolicyKind, Request, Unknown, Verdict
from .judge import (DEFAULT_ACTIONS, ENI_ACTIONS, LOG_ACTIONS, PermissionAnswer, check_actions,
                    judge_eni, judge_logs, judge_permission)
from .match import ANY_RESOURCE, Resource
from .conditions import Context

__all__ = ["ANY_RESOURCE", "ActionDecision", "Caller", "Context", "DEFAULT_ACTIONS", "Decider",
           "ENI_ACTIONS", "Fix", "Gates", "LOG_ACTIONS", "PermissionAnswer", "Policy", "PolicyKind",
           "Request", "Resource", "Unknown", "Verdict", "action_info", "check_actions", "decide",
           "expand", "judge_eni", "judge_logs", "judge_permission"]
