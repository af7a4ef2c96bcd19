"""Write `cloudcx_openapi.fast_path`: success-envelope decoders that parse in C (msgspec).

Our own emitter over the spec YAML, run by `regenerate.py` after the operation table. For the
data model of every operation (and each model it nests), it writes a `msgspec.Struct` that
accepts exactly the bodies the spec describes, with every field present and no other (unknown
fields refused, `minimum` as a constraint, `format: uuid` parsed to `UUID` in C), and a
function that builds the SAME public attrs model from it positionally. `FAST_DECODERS` maps each
data model class to a function from the response bytes to the model, or None when the body is
anything else (an error envelope, a missing or extra field, a value out of range, not UTF-8,
...): the caller then runs the tolerant (or strict) decoder, which gives the same result or the
typed error. The fast path therefore never decides what a body means; it only skips work on
the common, exact body.

A model the emitter cannot describe exactly (an optional property, a type other than string,
integer, number, boolean, array or a named object) gets no fast decoder, nor does a model that
nests it: its operations keep the tolerant path.
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

_HEADER = '''"""Fast decoders for the success envelopes, generated from the spec: NEVER edit by hand.

Written by generator/fast_path.py (see its docstring): each function returns the public model
for the exact body the spec describes, or None for any other body, which the caller then decodes
with the tolerant (or strict) decoder.
"""

import gc
import threading
from collections.abc import Callable, Mapping
from types import MappingProxyType, TracebackType
from typing import Annotated, Any
from uuid import UUID

import msgspec

from .models import {imports}

SUCCESS_CODE = "0000"
_REFUSED = (msgspec.DecodeError, RecursionError)


class _CollectorPause:
    """Pause the cyclic garbage collector while one body is decoded; thread-safe, nestable.

    A page is built from a few tracked objects per item (the model, its UUID, its lists) that
    all survive the build, so every collection the build triggers scans them and promotes
    them to an older generation for nothing: about 0.3 ms for 1,000 users, a third of the
    whole decode. The pause is bounded by the body (capped by `max_response_bytes` before it
    gets here) and creates no cycles. Concurrent or nested decoders share one pause: the last
    one out resumes the collector, and only if it was enabled when the first one came in.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._resume = False

    def __enter__(self) -> None:
        with self._lock:
            if self._depth == 0:
                self._resume = gc.isenabled()
                gc.disable()
            self._depth += 1

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        with self._lock:
            self._depth -= 1
            if self._depth == 0 and self._resume:
                gc.enable()


_COLLECTOR_PAUSED = _CollectorPause()

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

    def field_type(self, schema: Any) -> tuple[str, str | None]:
        """The struct annotation of a property, and the schema name it nests (if any)."""
        ref = _ref_name(schema)
        resolved = _resolve(self.spec, schema)
        kind, nullable = _type_and_nullable(self.spec, resolved)
        nested: str | None = None
        if ref is not None and kind == "object":
            if not self.model(ref):
                raise _Unsupported(f"nests {ref}")
            annotation, nested = f"_{_class(ref)}", ref
        elif kind == "array":
            items = resolved.get("items", {})
            item, nested = self.field_type(items)
            if nested is not None and _ref_name(items) is None:
                raise _Unsupported("objects nested deeper than an array's items")
            annotation = f"list[{item}]"
        elif kind in _SCALARS and not (kind == "string" and resolved.get("format") not in (None, "uuid")):
            annotation = "UUID" if resolved.get("format") == "uuid" else _SCALARS[kind]
            if kind in ("integer", "number") and isinstance(resolved.get("minimum"), int | float):
                annotation = f"Annotated[{annotation}, msgspec.Meta(ge={resolved['minimum']!r})]"
        else:
            raise _Unsupported(f"type {kind!r}")
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
                    value = f"_{_class(nested)}_model({value})"
                if nullable:
                    value = f"None if {{source}}.{python} is None else {value}"
            arguments.append(value)
        if not required:
            lines.append("    pass")
        self.constructors[name] = f"{class_name}({', '.join(arguments)})"
        lines += [
            "",
            "",
            f"def _{class_name}_model(source: _{class_name}) -> {class_name}:",
            f"    return {self.constructors[name].format(source='source')}",
        ]
        return "\n".join(lines)


def _envelope_decoder(class_name: str) -> str:
    return f"""class _{class_name}Envelope(msgspec.Struct):
    code: str
    data: _{class_name}


_DECODE_{class_name.upper()} = msgspec.json.Decoder(_{class_name}Envelope).decode


def _decode_{class_name}(content: bytes) -> {class_name} | None:
    with _COLLECTOR_PAUSED:
        try:
            envelope = _DECODE_{class_name.upper()}(content)
        except _REFUSED:
            return None
        if envelope.code != SUCCESS_CODE:
            return None
        return _{class_name}_model(envelope.data)"""


def render_fast_path(spec: Mapping[str, Any], operations: Iterable[OperationInfo]) -> str:
    """The source of `cloudcx_openapi/fast_path.py`."""
    emitter = _Emitter(spec)
    data_models = sorted({op.data_model for op in operations if op.data_model in emitter.by_class})
    fast = [model for model in data_models if emitter.model(emitter.by_class[model])]
    imports = sorted({_class(name) for name in emitter.structs})
    header = _HEADER if imports else _HEADER.replace("from .models import {imports}\n\n", "")
    parts = [header.format(imports=", ".join(imports))]
    parts += [f"{source}\n\n\n" for source in emitter.structs.values()]
    parts += [f"{_envelope_decoder(model)}\n\n\n" for model in fast]
    entries = "".join(f"        {model}: _decode_{model},\n" for model in fast)
    parts.append(
        "FAST_DECODERS: Mapping[type[Any], Callable[[bytes], Any]] = MappingProxyType(\n"
        f"    {{\n{entries}    }}\n)\n"
        '"""Each data model with a fast decoder: response bytes -> the model, or None."""\n'
    )
    return "".join(parts)


def write_fast_path(spec: Mapping[str, Any], operations: Iterable[OperationInfo], package_dir: Path) -> None:
    """Write `fast_path.py` into the generated package."""
    (package_dir / "fast_path.py").write_text(render_fast_path(spec, operations), encoding="utf-8")
