"""The fast-path emitter (generator/fast_path.py) describes a model exactly, or not at all.

A model with an optional property, a type the emitter cannot check in C, or a constraint
keyword it does not translate, gets no fast decoder, nor does a model that nests it: its
operations keep the tolerant decoder. An `enum` becomes a `Literal`: the grown spec's decoder is
run (over stand-in models) to show it refuses a value the enum does not list. Every builder
function it writes is called.
"""

from __future__ import annotations

import copy
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.support.generator_modules import load_module_file
from tests.support.tools import ROOT

operation_table = load_module_file("operation_table")
fast_path = load_module_file("fast_path")
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


def _decoder(source: str, folder: Path) -> Callable[[bytes], object]:
    """The page decoder of a rendered fast path, imported over stand-ins for the models."""
    stand_ins = "class User:\n    def __init__(self, *fields: object) -> None:\n        pass\n\n\n"
    path = folder / "grown_fast_path.py"
    path.write_text(
        source.replace("from .models import User, UserPage\n", f"{stand_ins}UserPage = User\n")
    )
    sys.modules.pop(path.stem, None)
    module = load_module_file(path.stem, folder)
    decode: Callable[[bytes], object] = module._decode_UserPage
    return decode


def _page_with_status(status: str) -> bytes:
    user = dict.fromkeys(("firstName", "lastName", "email", "phoneNumber", "uniqueCode"))
    user |= {"id": "75d86d40-f7d9-4025-8a1c-8a868f918289", "loginCode": "a", "roles": []}
    counts = dict.fromkeys(("totalPages", "totalElements", "size", "number", "numberOfElements"), 1)
    data = {**counts, "content": [{**user, "status": status}]}
    return json.dumps({"code": "0000", "data": data}).encode()


def test_an_enum_becomes_a_literal_that_refuses_a_value_it_does_not_list(tmp_path: Path) -> None:
    spec = copy.deepcopy(SPEC)
    user = spec["components"]["schemas"]["User"]
    user["properties"]["status"] = {"type": "string", "enum": ["Active", "Inactive"]}
    user["required"].append("status")
    source = _render(spec)
    assert "status: Literal['Active', 'Inactive'] = msgspec.field(name='status')" in source
    decode = _decoder(source, tmp_path)
    assert decode(_page_with_status("Active")) is not None
    assert decode(_page_with_status("Retired")) is None


@pytest.mark.parametrize(
    ("place", "keyword", "value"),
    [
        ("loginCode", "maxLength", 8),
        ("loginCode", "pattern", "^[a-z]+$"),
        ("loginCode", "const", "a"),
        ("loginCode", "minimum", 0),
        ("roles", "minItems", 1),
        ("roles", "uniqueItems", True),
        ("size", "maximum", 100),
        ("size", "exclusiveMinimum", True),
        ("size", "multipleOf", 5),
        ("size", "format", "int32"),
        ("size", "enum", [1, True]),
        ("User", "additionalProperties", False),
        ("User", "allOf", [{"type": "object"}]),
    ],
)
def test_a_constraint_it_does_not_translate_leaves_its_operation_on_the_usual_path(
    place: str, keyword: str, value: object
) -> None:
    spec = copy.deepcopy(SPEC)
    schemas = spec["components"]["schemas"]
    if place == "User":
        schemas["User"][keyword] = value
    elif place == "size":
        schemas["UserPage"]["properties"]["size"][keyword] = value
    else:
        schemas["User"]["properties"][place][keyword] = value
    assert "UserPage: _decode_UserPage" not in _render(spec)


def test_every_builder_it_writes_is_called() -> None:
    source = _render(SPEC)
    builders = re.findall(r"^def (_\w+_model)\(", source, flags=re.MULTILINE)
    assert builders == ["_UserPage_model"]  # each user is built inline in the page's builder
    for builder in builders:
        assert source.count(f"{builder}(") >= 2
