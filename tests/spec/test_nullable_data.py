"""An operation whose envelope `data` the spec lets be null returns `<Model> | None`.

Null is read in every spelling the generator accepts (`oneOf`/`anyOf` with `type: "null"`,
OpenAPI 3.1 `type: [..., "null"]`, OpenAPI 3.0 `nullable: true`, on the `data` schema or on the
schema it refers to), for one model and for a list: the operation table sets `data_nullable`,
and the generated methods of both clients (and `with_raw_response`'s `parse()`) are typed
`Team | None` / `list[Team] | None`. Where the spec does not allow null nothing changes.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.support.generator_modules import load_module_file
from tests.support.grown_spec import list_operation_spec
from tests.support.records import TEAM
from tests.support.tools import ROOT

operation_table = load_module_file("operation_table")
resource_classes = load_module_file("resource_classes")
SPEC: dict[str, Any] = operation_table.load_spec(ROOT / "spec" / "cloudcx.yaml")

TEAM_REF = {"$ref": "#/components/schemas/Team"}
TEAMS_REF = {"$ref": "#/components/schemas/Teams"}
NULL = {"type": "null"}
SCHEMAS = {"Team": TEAM, "Teams": {"type": "array", "items": TEAM_REF}}


def _list_teams(data: Any, **schemas: Any) -> Any:
    spec = list_operation_spec(data, {**SCHEMAS, **schemas})
    (operation,) = [
        op for op in operation_table.read_operations(spec) if op.operation_id == "listTeams"
    ]
    return operation


@pytest.mark.parametrize(
    ("data", "schemas", "data_list", "nullable"),
    [
        (TEAM_REF, {}, False, False),
        (TEAMS_REF, {}, True, False),
        ({"type": "array", "items": TEAM_REF}, {}, True, False),
        ({"oneOf": [TEAM_REF, NULL]}, {}, False, True),
        ({"anyOf": [NULL, TEAM_REF]}, {}, False, True),
        ({"allOf": [TEAM_REF], "nullable": True}, {}, False, True),
        (TEAM_REF, {"Team": {**TEAM, "nullable": True}}, False, True),
        (TEAM_REF, {"Team": {**TEAM, "type": ["object", "null"]}}, False, True),
        ({"oneOf": [TEAMS_REF, NULL]}, {}, True, True),
        ({"type": "array", "nullable": True, "items": TEAM_REF}, {}, True, True),
        ({"type": ["array", "null"], "items": TEAM_REF}, {}, True, True),
    ],
    ids=[
        "ref",
        "list-ref",
        "list-inline",
        "ref-or-null",
        "null-or-ref-anyof",
        "allof-nullable",
        "ref-to-nullable-schema",
        "ref-to-3.1-nullable-schema",
        "list-ref-or-null",
        "list-nullable-inline",
        "list-3.1-nullable-inline",
    ],
)
def test_the_table_records_whether_data_may_be_null(
    data: Any, schemas: dict[str, Any], data_list: bool, nullable: bool
) -> None:
    operation = _list_teams(data, **schemas)
    assert (operation.data_model, operation.data_list) == ("Team", data_list)
    assert operation.data_nullable is nullable


def test_the_projects_operations_do_not_allow_null_data() -> None:
    assert [op.data_nullable for op in operation_table.read_operations(SPEC)] == [False]


def test_an_always_null_data_is_nullable_and_returns_none() -> None:
    operation = _list_teams(NULL)
    assert (operation.data_model, operation.data_nullable) == (None, True)
    source: str = resource_classes.render_resources([operation])
    assert source.count("\n    ) -> None:") == 2  # Teams.list and AsyncTeams.list
    assert source.count(") -> RawResponse[None]:") == 2
    assert "None | None" not in source


@pytest.mark.parametrize(
    ("data", "returned"),
    [
        ({"oneOf": [TEAM_REF, NULL]}, "Team | None"),
        ({"type": "array", "nullable": True, "items": TEAM_REF}, "builtins.list[Team] | None"),
    ],
    ids=["one", "list"],
)
def test_both_clients_and_raw_parse_are_typed_with_none(data: Any, returned: str) -> None:
    source: str = resource_classes.render_resources([_list_teams(data)])
    assert source.count(f") -> {returned}:") == 2  # Teams.list and AsyncTeams.list
    assert source.count(f") -> RawResponse[{returned}]:") == 2
    assert source.count(f'"{returned}",') == 2  # the casts
    assert source.count("None when the envelope's `data` is null (the spec allows it).") == 2


@pytest.mark.parametrize(
    ("data", "returned"),
    [(TEAM_REF, "Team"), (TEAMS_REF, "builtins.list[Team]")],
    ids=["one", "list"],
)
def test_without_null_in_the_spec_the_types_have_no_none(data: Any, returned: str) -> None:
    source: str = resource_classes.render_resources([_list_teams(data)])
    assert source.count(f") -> {returned}:") == 2
    assert "| None:" not in source.replace("| None = None", "")
    assert "the spec allows it" not in source


def test_a_paged_operation_whose_page_may_be_null_is_refused() -> None:
    spec = copy.deepcopy(SPEC)
    envelope = spec["components"]["schemas"]["UserPageEnvelope"]
    envelope["properties"]["data"] = {"oneOf": [envelope["properties"]["data"], NULL]}
    with pytest.raises(
        operation_table.SpecError, match=r"a paged operation's data .* may not be null"
    ):
        operation_table.read_operations(spec)
