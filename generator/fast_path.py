"""Write `cloudcx_openapi.fast_path`: success-envelope decoders that parse in C (msgspec).

Our own emitter over the spec YAML, run by `regenerate.py` after the operation table. For the
data model of every operation (and each model it nests), it writes a `msgspec.Struct` that
accepts exactly the bodies the spec describes, with every field present and no other (unknown
fields refused, `minimum` as a constraint, `format: uuid` parsed to `UUID` in C), and a
function that builds the SAME public attrs model from it positionally. `FAST_DECODERS` maps each
data model class to a function from the response bytes to the model, or None when the body is
anything else (an error envelope, a missing or extra field, a value out of range, not UTF-8,
...): the caller then runs the tolerant (or strict) decoder, which gives the same result or the
typed error. `FAST_LIST_DECODERS` does the same, by item model, for the operations whose `data`
is a list of a model (`data_list`): response bytes -> the list of models, or None. The fast path
therefore never decides what a body means; it only skips work on the common, exact body.

A model the emitter cannot describe exactly (an optional property, a type other than string,
integer, number, boolean, array or a named object, or any keyword that constrains a value other
than those it translates: `enum` becomes a `Literal`, `minimum` a bound) gets no fast decoder, nor
does a model that nests it: its operations keep the tolerant path. A keyword is refused unless it
is known, because a constraint the fast path ignored would let it accept a body the tolerant
decoder refuses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from openapi_python_client.strings import ClassName, PythonIdentifier

from operation_table import (
    _FIELD_PREFIX,
    OperationInfo,
    _ref_name,
    _resolve,
    _type_and_nullable,
)

_SCALARS = {"integer": "int", "number": "float", "boolean": "bool", "string": "str"}
# Keywords that only describe (or that the emitter reads itself), per place; any other refuses.
_NOTES = frozenset({"description", "example", "examples", "title", "deprecated", "externalDocs"})
_PROPERTY_KEYWORDS = _NOTES | {"type", "nullable", "format", "items", "enum", "minimum"}
_OBJECT_KEYWORDS = _NOTES | {"type", "nullable", "properties", "required"}
# The formats the fast path checks (uuid, parsed in C) or that add no check on the wire.
_FORMATS = {"string": {None, "uuid"}, "integer": {None, "int64"}}

_HEADER = '''"""Fast decoders for the success envelopes, generated from the spec: NEVER edit by hand.

Written by generator/fast_path.py (see its docstring): each function returns the public model
for the exact body the spec describes, or None for any other body, which the caller then decodes
with the tolerant (or strict) decoder.
"""

import gc
import os
import threading
import time
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import {typing}
from uuid import UUID

import msgspec

from .models import {imports}

SUCCESS_CODE = "0000"
_REFUSED = (msgspec.DecodeError, RecursionError)
_PAUSE_LIMIT_BYTES = 4 * 2**20
"""Larger bodies decode with the collector running: a pause stays a few tens of milliseconds."""
_PAUSE_FLOOR_BYTES = 16 * 2**10
"""Smaller bodies decode without a pause, which would cost more than it could spare.

A user takes 150 bytes at the least and builds three tracked objects, so a body under the floor
builds at most about 330: under half the youngest generation's threshold (700), too few to start
a collection unless the generation was already half full, and then only one. A pause (a lock,
two threshold reads and two writes) costs a few microseconds on every decode: about a tenth of
decoding 25 users.
"""
_LONGEST_PAUSE = 1.0
"""Seconds; a pause older than this outlived any decode of a bounded body, so it leaked."""
_PAUSED_THRESHOLD = 1 << 30
"""The youngest generation's threshold during a pause: no decode allocates that many objects."""


class _CollectorPause:
    """Hold off automatic garbage collection while one body is decoded; thread- and fork-safe.

    Why: a page is built from a few tracked objects per item (the model, its UUID, its lists)
    that all survive the build, so every collection the build triggers scans them and promotes
    them to an older generation for nothing: about 0.3 ms for 1,000 users, a third of the
    whole decode.

    How, and why it always heals. The pause raises the youngest generation's threshold to
    `_PAUSED_THRESHOLD` instead of calling `gc.disable()`: the threshold itself says "paused by
    us", so the application's own `gc.disable()`, `gc.enable()` or `gc.set_threshold()` made
    during a pause is never undone (we restore the saved threshold only while ours is still
    set), and a pause left behind by an exception at any point (Ctrl-C in a signal handler) is
    recognised by the next one. Concurrent and nested decoders share one pause, counted by
    `_depth`; the shared pause starts a round, and a pause older than `_LONGEST_PAUSE` (a leaked
    depth, or overlapping decoders that would starve the collector) ends its round at the next
    `begin`: the collector resumes and the late `end` calls of that round do nothing. Bodies over
    `_PAUSE_LIMIT_BYTES` or under `_PAUSE_FLOOR_BYTES` decode without a pause (`begin` decides,
    so every decoder keeps the same bounds). The lock is reentrant, so a signal handler that
    decodes on a thread inside `begin` or `end` does not deadlock, and a forked child starts
    with a fresh lock and no pause (`os.register_at_fork`), whatever the parent's threads held.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._saved = gc.get_threshold()
        self._depth = 0
        self._since = 0.0
        self._round = 0

    def begin(self, size: int) -> int | None:
        """Pause for a body of `size` bytes: the token for `end`, or None when not paused."""
        if size > _PAUSE_LIMIT_BYTES or size < _PAUSE_FLOOR_BYTES:
            return None
        with self._lock:
            now = time.monotonic()
            if self._depth and now - self._since > _LONGEST_PAUSE:
                self._end_round()
                return None
            if not self._depth:
                current = gc.get_threshold()
                if current[0] != _PAUSED_THRESHOLD:  # else a pause of ours left behind
                    self._saved = current
                self._since = now
                gc.set_threshold(_PAUSED_THRESHOLD, *self._saved[1:])
            self._depth += 1
            return self._round

    def end(self, token: int | None) -> None:
        """End the pause `begin` returned `token` for (None: nothing to end)."""
        if token is None:
            return
        with self._lock:
            if token == self._round:
                self._depth -= 1
                if not self._depth:
                    self._end_round()

    def _end_round(self) -> None:
        self._round += 1
        self._depth = 0
        if gc.get_threshold()[0] == _PAUSED_THRESHOLD:
            gc.set_threshold(*self._saved)

    def reset(self) -> None:
        """Forget every pause and resume the collector: in a forked child, whose one thread holds
        none, and with a fresh lock, as the parent's may have been held by another thread."""
        self._lock = threading.RLock()
        self._end_round()


_COLLECTOR = _CollectorPause()
os.register_at_fork(after_in_child=_COLLECTOR.reset)

'''


class _Unsupported(Exception):
    """A schema the fast path cannot describe exactly."""


def _class(schema_name: str) -> str:
    return str(ClassName(schema_name, prefix=_FIELD_PREFIX))


class _Emitter:
    def __init__(self, spec: Mapping[str, Any]) -> None:
        self.spec = spec
        self.schemas: Mapping[str, Any] = spec.get("components", {}).get("schemas", {})
        self.by_class = {_class(name): name for name in self.schemas}
        # Schema name -> source (struct and converter), nested models before their containers.
        self.structs: dict[str, str] = {}
        self.started: set[str] = set()
        # Schema name -> the expression that builds its public model from `{source}`.
        self.constructors: dict[str, str] = {}
        self.refused: set[str] = set()
        # Schema names whose builder function is called (the others are built inline).
        self.called: set[str] = set()

    def field_type(self, schema: Any) -> tuple[str, str | None]:
        """The struct annotation of a property, and the schema name it nests (if any)."""
        ref = _ref_name(schema)
        resolved = _resolve(self.spec, schema)
        kind, nullable = _type_and_nullable(self.spec, resolved)
        nested: str | None = None
        if ref is not None and kind == "object":
            if not self.model(ref):
                raise _Unsupported(f"nests {ref}")
            return f"_{_class(ref)}" + (" | None" if nullable else ""), ref
        _known_keywords(resolved, _PROPERTY_KEYWORDS)
        if resolved.get("format") not in _FORMATS.get(kind, {None}):
            raise _Unsupported(f"format {resolved.get('format')!r}")
        if "minimum" in resolved and kind not in ("integer", "number"):
            raise _Unsupported(f"minimum on {kind!r}")
        if "enum" in resolved:
            annotation = _literal(resolved["enum"], kind)
        elif kind == "array":
            items = resolved.get("items", {})
            item, nested = self.field_type(items)
            if nested is not None and _ref_name(items) is None:
                raise _Unsupported("objects nested deeper than an array's items")
            annotation = f"list[{item}]"
        elif kind in _SCALARS:
            annotation = "UUID" if resolved.get("format") == "uuid" else _SCALARS[kind]
        else:
            raise _Unsupported(f"type {kind!r}")
        if "minimum" in resolved:
            if not isinstance(resolved["minimum"], int | float) or "enum" in resolved:
                raise _Unsupported("a minimum other than a number alone")
            annotation = f"Annotated[{annotation}, msgspec.Meta(ge={resolved['minimum']!r})]"
        if nullable:
            annotation = f"{annotation} | None"
        return annotation, nested

    def model(self, name: str) -> bool:
        """Emit the struct and converter of schema `name`; False if it cannot be described."""
        if name in self.refused:
            return False
        if name in self.started:
            if name not in self.structs:
                raise _Unsupported("a recursive model")
            return True
        self.started.add(name)
        try:
            self.structs[name] = self._model_source(name)
        except _Unsupported:
            self.refused.add(name)
            return False
        return True

    def _model_source(self, name: str) -> str:
        schema = _resolve(self.spec, self.schemas[name])
        _known_keywords(schema, _OBJECT_KEYWORDS)
        properties: Mapping[str, Any] = schema.get("properties", {})
        required = list(schema.get("required", []))
        if set(required) != set(properties):
            raise _Unsupported("an optional property")
        class_name = _class(name)
        lines = [f"class _{class_name}(msgspec.Struct, forbid_unknown_fields=True, gc=False):"]
        arguments: list[str] = []
        # The generated models take their required properties positionally, in spec order.
        for wire in required:
            annotation, nested = self.field_type(properties[wire])
            python = str(PythonIdentifier(wire, prefix=_FIELD_PREFIX))
            lines.append(f"    {python}: {annotation} = msgspec.field(name={wire!r})")
            value = f"{{source}}.{python}"
            if nested is not None:
                kind, nullable = _type_and_nullable(self.spec, _resolve(self.spec, properties[wire]))
                if kind == "array":
                    # Built inline, not through the item's function: one call less per item.
                    value = f"[{self.constructors[nested].format(source='item')} for item in {value}]"
                else:
                    self.called.add(nested)
                    value = f"_{_class(nested)}_model({value})"
                if nullable:
                    value = f"None if {{source}}.{python} is None else {value}"
            arguments.append(value)
        if not required:
            lines.append("    pass")
        self.constructors[name] = f"{class_name}({', '.join(arguments)})"
        return "\n".join(lines)

    def builder(self, name: str) -> str:
        """The function that builds the public model of schema `name` from its struct."""
        class_name = _class(name)
        return (
            f"def _{class_name}_model(source: _{class_name}) -> {class_name}:\n"
            f"    return {self.constructors[name].format(source='source')}"
        )


def _known_keywords(schema: Mapping[str, Any], known: frozenset[str]) -> None:
    unknown = sorted(key for key in schema if key not in known and not key.startswith("x-"))
    if unknown:
        raise _Unsupported(f"keywords {unknown}")


def _literal(values: Any, kind: str) -> str:
    """`Literal[...]` of an enum's values: the same values the generated model's type lists."""
    python = {"string": str, "integer": int}.get(kind)
    if python is None or not isinstance(values, list) or not values:
        raise _Unsupported(f"an enum of {kind!r}")
    if any(type(value) is not python for value in values):
        raise _Unsupported("an enum value of another type")
    return f"Literal[{', '.join(repr(value) for value in values)}]"


def _envelope_decoder(class_name: str) -> str:
    return f"""class _{class_name}Envelope(msgspec.Struct):
    code: str
    data: _{class_name}


_DECODE_{class_name.upper()} = msgspec.json.Decoder(_{class_name}Envelope).decode


def _decode_{class_name}(content: bytes) -> {class_name} | None:
    pause = _COLLECTOR.begin(len(content))
    try:
        envelope = _DECODE_{class_name.upper()}(content)
    except _REFUSED:
        return None
    else:
        if envelope.code != SUCCESS_CODE:
            return None
        return _{class_name}_model(envelope.data)
    finally:
        if pause is not None:
            _COLLECTOR.end(pause)"""


def _list_decoder(class_name: str, build_item: str) -> str:
    """The decoder of an envelope whose `data` is a list of `class_name` (`build_item`: of `item`)."""
    return f"""class _{class_name}ListEnvelope(msgspec.Struct):
    code: str
    data: list[_{class_name}]


_DECODE_{class_name.upper()}_LIST = msgspec.json.Decoder(_{class_name}ListEnvelope).decode


def _decode_{class_name}_list(content: bytes) -> list[{class_name}] | None:
    pause = _COLLECTOR.begin(len(content))
    try:
        envelope = _DECODE_{class_name.upper()}_LIST(content)
    except _REFUSED:
        return None
    else:
        if envelope.code != SUCCESS_CODE:
            return None
        return [{build_item} for item in envelope.data]
    finally:
        if pause is not None:
            _COLLECTOR.end(pause)"""


def _list_decoders(emitter: _Emitter, operations: Iterable[OperationInfo]) -> str:
    """The decoders of the lists (`data_list`) whose items the emitter describes, and their map."""
    items = sorted({op.data_model for op in operations if op.data_list and op.data_model in emitter.by_class})
    fast = [model for model in items if emitter.model(emitter.by_class[model])]
    # Each item is built inline, not through a builder function: one call less per item.
    builds = {model: emitter.constructors[emitter.by_class[model]].format(source="item") for model in fast}
    entries = "".join(f"        {model}: _decode_{model}_list,\n" for model in fast)
    return "".join(f"{_list_decoder(model, builds[model])}\n\n\n" for model in fast) + (
        "FAST_LIST_DECODERS: Mapping[type[Any], Callable[[bytes], Any]] = MappingProxyType(\n"
        f"    {{\n{entries}    }}\n)\n"
        '"""Each item model of a list with a fast decoder: response bytes -> the list, or None."""\n'
    )


def render_fast_path(spec: Mapping[str, Any], operations: Iterable[OperationInfo]) -> str:
    """The source of `cloudcx_openapi/fast_path.py`."""
    operations = list(operations)
    emitter = _Emitter(spec)
    # A list's items (`data_list`) have decoders of their own (`_list_decoders`).
    data_models = sorted({op.data_model for op in operations if op.data_model in emitter.by_class and not op.data_list})
    fast = [model for model in data_models if emitter.model(emitter.by_class[model])]
    emitter.called.update(emitter.by_class[model] for model in fast)
    lists = _list_decoders(emitter, operations)
    imports = sorted({_class(name) for name in emitter.structs})
    header = _HEADER if imports else _HEADER.replace("from .models import {imports}\n\n", "")
    structs = "".join(emitter.structs.values())
    typing = ["Annotated"] * ("Annotated[" in structs) + ["Any"] + ["Literal"] * ("Literal[" in structs)
    parts = [header.format(imports=", ".join(imports), typing=", ".join(typing))]
    for name, source in emitter.structs.items():
        parts.append(f"{source}\n\n\n")
        if name in emitter.called:
            parts.append(f"{emitter.builder(name)}\n\n\n")
    parts += [f"{_envelope_decoder(model)}\n\n\n" for model in fast]
    entries = "".join(f"        {model}: _decode_{model},\n" for model in fast)
    parts.append(
        "FAST_DECODERS: Mapping[type[Any], Callable[[bytes], Any]] = MappingProxyType(\n"
        f"    {{\n{entries}    }}\n)\n"
        '"""Each data model with a fast decoder: response bytes -> the model, or None."""\n\n'
    )
    parts.append(lists)
    return "".join(parts)


def write_fast_path(spec: Mapping[str, Any], operations: Iterable[OperationInfo], package_dir: Path) -> None:
    """Write `fast_path.py` into the generated package."""
    (package_dir / "fast_path.py").write_text(render_fast_path(spec, operations), encoding="utf-8")
