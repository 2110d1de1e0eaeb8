"""Load errors worded for people: the file, the JSON path and what is wrong, on one line."""
from __future__ import annotations

import codecs
import json
from typing import Any

from pydantic import ValidationError

from ..errors import ReachInputError
from .base import PATTERN_NOUNS

_EXPECTED = {"model_type": "a JSON object", "dataclass_type": "a JSON object", "dict_type": "a JSON object",
             "list_type": "a JSON list",
             "string_type": "a string", "int_type": "an integer", "int_parsing": "an integer",
             "int_from_float": "an integer", "bool_type": "true or false",
             "bool_parsing": "true or false", "float_type": "a number", "float_parsing": "a number"}
_JSON_TYPES = {dict: "an object", list: "a list", str: "a string", int: "a number",
               float: "a number", bool: "a boolean", type(None): "null"}
_BOUNDS = {"less_than_equal": "at most {le}", "greater_than_equal": "at least {ge}",
           "less_than": "below {lt}", "greater_than": "above {gt}"}


def _json_type(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _short(value: Any) -> str:
    """A scalar as JSON writes it, cut to 40 characters; nothing for null, objects and lists."""
    if value is None or isinstance(value, (dict, list)):
        return ""
    text = json.dumps(value) if isinstance(value, bool) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _json_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "$"


def _message(err: dict) -> str:
    kind, value, ctx = err["type"], err.get("input"), err.get("ctx") or {}
    expected = _EXPECTED.get(kind)
    if expected:
        return f"expected {expected}, got {_json_type(value)} {_short(value)}".rstrip()
    if kind == "string_pattern_mismatch":
        return f"{_short(value)} is not {PATTERN_NOUNS.get(ctx.get('pattern'), 'a valid value')}"
    if kind in _BOUNDS:
        return f"{_short(value)} is out of range: it must be {_BOUNDS[kind].format(**ctx)}"
    if kind == "missing":
        return "required but missing"
    return err["msg"].removeprefix("Value error, ")


def validation_error(exc: ValidationError, file: str, data: bytes) -> ReachInputError:
    err = exc.errors(include_url=False)[0]
    if err["type"] == "json_invalid":
        return ReachInputError(encoding_problem(data) or
                               f"invalid JSON ({(err.get('ctx') or {}).get('error', err['msg'])})",
                               file=file)
    more = exc.error_count() - 1
    return ReachInputError(_message(err) + (f" (and {more} more errors)" if more else ""),
                           file=file, path=_json_path(err["loc"]))


_BOMS = [(codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
         (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16")]


def encoding_problem(data: bytes) -> str | None:
    """Name the encoding of a file that is not UTF-8 (PowerShell's `>` writes UTF-16)."""
    name = next((n for bom, n in _BOMS if data.startswith(bom)), None)
    if name is None and len(data) >= 2 and (data[0] == 0 or data[1] == 0):
        name = "UTF-16 or UTF-32"
    if name:
        return (f"the file is {name} text; reach reads UTF-8 JSON, as AWS tools write it "
                f"(convert it: iconv -f {name.split()[0]} -t UTF-8)")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return (f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                "reach reads UTF-8 JSON, as AWS tools write it")
    return None
