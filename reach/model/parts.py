"""Validate a large snapshot file a batch of resources at a time, so its whole JSON tree is never held.

pydantic-core's `model_validate_json` parses the whole document into a tree of its own before it
builds a single model: for the L bench estate (68 MB) that tree alone is about 470 MB, as much as
`json.load`'s whole result, on top of the models being built (docs/performance.md: Memory). Here
msgspec only finds where each resource list's items begin and end (no objects built), and
pydantic validates the items a batch at a time, then the rest of the file without them.

The result is the same model `model_validate_json` gives. Anything this does not handle the same
way (not a JSON object, a list key under its Python name, a field that is not a plain list of
models) stays in the rest of the file, validated whole; and any error is left to the caller, which
validates the whole file again for its message (file and JSON path), exactly as before."""
from __future__ import annotations

import typing
from functools import cache
from typing import Any

import msgspec
from pydantic import BaseModel, TypeAdapter

# Below this size a file is validated whole: its tree is small and one call is quicker.
SPLIT_ABOVE = 1 << 20
# Items of one list validated together: a batch's tree is a few MB at most.
_BATCH = 500


def validate_in_parts(model: type[BaseModel], data: bytes) -> Any:
    """`model.model_validate_json(data)`, one batch of each resource list at a time.

    Raises msgspec.DecodeError or pydantic.ValidationError on any fault: the caller then
    validates the whole file to report it."""
    top = msgspec.json.decode(data, type=dict[str, msgspec.Raw])
    lists = _list_fields(model)
    rest: dict[str, msgspec.Raw | bytes] = {}
    parts: dict[str, list] = {}
    for key, raw in top.items():
        field = lists.get(key)
        if field is None or field[0] in top:  # also under its Python name: leave it to pydantic
            rest[key] = raw
            continue
        name, item = field
        items = msgspec.json.decode(raw, type=list[msgspec.Raw])
        adapter = _adapter(item)
        out: list = []
        for i in range(0, len(items), _BATCH):
            out.extend(adapter.validate_json(b"[" + b",".join(items[i:i + _BATCH]) + b"]"))
        rest[key] = msgspec.Raw(b"[]")  # the key stays, so the model sees it as given
        parts[name] = out
    whole = model.model_validate_json(msgspec.json.encode(rest))
    return whole.model_copy(update=parts) if parts else whole


@cache
def _list_fields(model: type[BaseModel]) -> dict[str, tuple[str, type[BaseModel]]]:
    """JSON key → (field name, item model) of each field that is a plain `list[Model]`."""
    out = {}
    for name, info in model.model_fields.items():
        tp = info.annotation
        if typing.get_origin(tp) is list and not info.metadata and info.alias and info.alias != name:
            (item,) = typing.get_args(tp)
            if isinstance(item, type) and issubclass(item, BaseModel):
                out[info.alias] = (name, item)
    return out


@cache
def _adapter(item: type[BaseModel]) -> TypeAdapter:
    return TypeAdapter(list[item])
