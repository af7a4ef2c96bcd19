"""The fast-path emitter (generator/fast_path.py) describes a model exactly, or not at all.

A model with an optional property, or a type the emitter cannot check in C, gets no fast
decoder, nor does a model that nests it: its operations keep the tolerant decoder.
"""

from __future__ import annotations

import copy
import importlib.util
import sys
from types import ModuleType
from typing import Any

from tests.support.tools import ROOT


def _load(name: str) -> ModuleType:
    """An emitter of the generator (scripts beside regenerate.py, not installed modules)."""
    if name in sys.modules:
        return sys.modules[name]
    found = importlib.util.spec_from_file_location(name, ROOT / "generator" / f"{name}.py")
    assert found is not None
    assert found.loader is not None
    module = importlib.util.module_from_spec(found)
    sys.modules[name] = module  # dataclasses look their module up
    found.loader.exec_module(module)
    return module


operation_table = _load("operation_table")
fast_path = _load("fast_path")
SPEC: dict[str, Any] = operation_table.load_spec(ROOT / "spec" / "cloudcx.yaml")


def _render(spec: dict[str, Any]) -> str:
    source: str = fast_path.render_fast_path(spec, operation_table.read_operations(spec))
    return source


def test_the_spec_s_page_gets_a_decoder_with_its_constraints() -> None:
    source = _render(SPEC)
    assert "        UserPage: _decode_UserPage,\n" in source
    assert "forbid_unknown_fields=True" in source
    assert "id: UUID = msgspec.field(name='id')" in source
    assert "Annotated[int, msgspec.Meta(ge=0)]" in source


def test_an_optional_property_in_a_nested_model_leaves_its_operation_on_the_usual_path() -> None:
    spec = copy.deepcopy(SPEC)
    user = spec["components"]["schemas"]["User"]
    user["required"] = [name for name in user["required"] if name != "email"]
    source = _render(spec)
    assert "UserPage: _decode_UserPage" not in source
    assert "class _User(" not in source


def test_a_type_it_cannot_check_in_c_leaves_its_operation_on_the_usual_path() -> None:
    spec = copy.deepcopy(SPEC)
    spec["components"]["schemas"]["User"]["properties"]["email"]["format"] = "date-time"
    assert "UserPage: _decode_UserPage" not in _render(spec)
