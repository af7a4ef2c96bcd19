"""An operation whose envelope `data` is a list becomes a method returning `list[<Item>]`.

The spec may write the list as a `$ref` to an array schema (`Teams: {type: array, items:
{$ref: Team}}`) or inline (`type: array` with `items`), nullable or not: the operation table
names the item's model in `data_model` and sets `data_list`; the generated method returns
`list[Team]` on both clients; the fast path decodes the list when it can describe the item. A list
whose items are not a named object schema stops generation with a `SpecError` naming the
operation and the schema.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.generator_modules import load_module_file
from tests.support.grown_spec import list_operation_spec
from tests.support.records import TEAM
from tests.support.tools import ROOT

operation_table = load_module_file("operation_table")
resource_classes = load_module_file("resource_classes")
fast_path = load_module_file("fast_path")
SpecError: type[Exception] = operation_table.SpecError
SPEC: dict[str, Any] = operation_table.load_spec(ROOT / "spec" / "cloudcx.yaml")

TEAMS_REF = {"$ref": "#/components/schemas/Teams"}
INLINE = {"type": "array", "items": {"$ref": "#/components/schemas/Team"}}
TEAMS = INLINE


def _spec(data: Any, **schemas: Any) -> dict[str, Any]:
    """The project's spec with `listTeams`, whose envelope's `data` is `data`."""
    return list_operation_spec(data, {"Team": TEAM, "Teams": TEAMS, **schemas})


def _list_teams(spec: dict[str, Any]) -> Any:
    (operation,) = [
        op for op in operation_table.read_operations(spec) if op.operation_id == "listTeams"
    ]
    return operation


@pytest.mark.parametrize(
    "data",
    [
        TEAMS_REF,
        INLINE,
        {"oneOf": [TEAMS_REF, {"type": "null"}]},
        {"type": "array", "nullable": True, "items": INLINE["items"]},
    ],
    ids=["ref", "inline", "ref-or-null", "nullable-inline"],
)
def test_a_list_names_its_items_model_and_fields(data: Any) -> None:
    operation = _list_teams(_spec(data))
    assert (operation.data_model, operation.data_list) == ("Team", True)
    assert (operation.paged, operation.item_model) == (False, None)
    assert operation.record_fields == ("id", "name")


def test_other_operations_are_not_lists() -> None:
    assert [operation.data_list for operation in operation_table.read_operations(SPEC)] == [False]


def test_both_clients_methods_return_a_list_of_the_item_model() -> None:
    operations = operation_table.read_operations(_spec(TEAMS_REF))
    source: str = resource_classes.render_resources(operations)
    assert source.count(") -> builtins.list[Team]:") == 2  # Teams.list and AsyncTeams.list
    assert source.count(") -> RawResponse[builtins.list[Team]]:") == 2
    assert source.count('"builtins.list[Team]",') == 2  # the casts
    assert "    from .models import Team\n" in source
    assert "The envelope's `data`, a list of `Team`" in source


def test_the_fast_path_decodes_a_list_of_a_model_it_can_describe() -> None:
    spec = _spec(TEAMS_REF)
    source: str = fast_path.render_fast_path(spec, operation_table.read_operations(spec))
    assert "        Team: _decode_Team_list,\n" in source
    assert "    data: list[_Team]\n" in source
    assert "return [Team(item.id, item.name) for item in envelope.data]" in source
    assert "Team: _decode_Team,\n" not in source  # no decoder of one team: no operation has it
    assert "        UserPage: _decode_UserPage,\n" in source


def test_a_list_of_a_model_it_cannot_describe_keeps_the_usual_decoder() -> None:
    optional_name = {**TEAM, "required": ["id"]}
    spec = _spec(TEAMS_REF, Team=optional_name)
    source: str = fast_path.render_fast_path(spec, operation_table.read_operations(spec))
    assert "_decode_Team_list" not in source
    empty = "MappingProxyType(\n    {\n    }\n)"
    assert f"\nFAST_LIST_DECODERS: Mapping[type[Any], Callable[[bytes], Any]] = {empty}" in source


@pytest.mark.parametrize(
    ("data", "schemas", "where"),
    [
        (TEAMS_REF, {"Teams": {"type": "array", "items": TEAM}}, "schema 'Teams'"),
        (TEAMS_REF, {"Teams": {"type": "array", "items": {"type": "string"}}}, "schema 'Teams'"),
        (
            TEAMS_REF,
            {
                "Name": {"type": "string"},
                "Teams": {"type": "array", "items": {"$ref": "#/components/schemas/Name"}},
            },
            "schema 'Teams'",
        ),
        ({"type": "array", "items": {"type": "integer"}}, {}, "an inline array schema"),
        ({"type": "array"}, {}, "an inline array schema"),
    ],
    ids=["inline-object-items", "string-items", "ref-to-string-items", "inline-ints", "no-items"],
)
def test_a_list_of_anything_but_named_objects_is_refused_naming_operation_and_schema(
    data: Any, schemas: dict[str, Any], where: str
) -> None:
    with pytest.raises(SpecError) as refused:
        operation_table.read_operations(_spec(data, **schemas))
    message = str(refused.value)
    assert message.startswith("listTeams: the envelope's data is an array")
    assert f"({where})" in message
    assert "$ref to an object schema" in message
