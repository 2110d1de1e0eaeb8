"""The catalogue: every reason, fix, note and warning code, with its rule numbers and all its wording.

Tests assert codes, never these words. Reason codes are AWS Reachability Analyzer explanation codes
where one fits (aws-rules.md, "Reachability Analyzer explanation codes"). `codes` holds the codes
of blockers and fixes; `words` the rest of the wording and the functions that fill it."""
from __future__ import annotations

from .codes import FIX_NOTES, FIXES, REASONS, Code, FixCode
from .words import (OBJECT_CHANGES, object_change_text, reached_text, reached_name, HOPS_OF_OTHERS,
    REACHABLE_AGAINST_INTENT, PARTIAL_REACHABILITY, PERMISSION_AGAINST_INTENT, REPORT_CODES,
    NOTES, WARNINGS, ENI_WARNINGS, fill, reason_text, fix_text, rule_of, note_text,
    warning_text, eni_warning_text, sarif_rule, PERMISSION, statement_name, permission_lines,
    fix_lines, INVOKERS)

__all__ = [
    'Code', 'FixCode', 'REASONS', 'FIXES', 'FIX_NOTES', 'OBJECT_CHANGES', 'object_change_text',
    'reached_text', 'reached_name', 'HOPS_OF_OTHERS', 'REACHABLE_AGAINST_INTENT',
    'PARTIAL_REACHABILITY', 'PERMISSION_AGAINST_INTENT', 'REPORT_CODES', 'NOTES', 'WARNINGS',
    'ENI_WARNINGS', 'fill', 'reason_text', 'fix_text', 'rule_of', 'note_text', 'warning_text',
    'eni_warning_text', 'sarif_rule', 'PERMISSION', 'statement_name', 'permission_lines',
    'fix_lines', 'INVOKERS',
]
