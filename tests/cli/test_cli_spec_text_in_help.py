"""Every text of the spec that reaches a command's help is shown as written, `%` and all.

argparse `%`-formats each argument's and command's help, and a description or epilog that holds
`%(prog)`: a spec's `100%` or `%(prog)s` must neither crash `--help` nor be expanded.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import pytest

from cloudcx_openapi.operations import Operation, Parameter
from tests.support.cli import help_of
from tests.support.grown_spec import QUEUE_SUMMARY

# Slow: the module first generates a package from a grown spec.
# One worker runs every test of the "grown" group, so the grown package is generated once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grown")]

PROG_TEXT = "Quoted by %(prog)s in 100% of cases"
"""A spec text argparse would expand, then fail on, if it were not escaped."""


def test_a_summary_with_a_percent_is_shown_as_written(table: Sequence[Operation]) -> None:
    assert QUEUE_SUMMARY in help_of(table, ["call-queues"])
    assert f"{QUEUE_SUMMARY}." in help_of(table, ["call-queues", "get-call-queue"])


def _with_percent_texts(parameter: Parameter) -> Parameter:
    if parameter.name == "state":
        return dataclasses.replace(
            parameter,
            description=PROG_TEXT,
            enum=("open", "100%"),
            has_default=True,
            default="100%",
        )
    return parameter


def test_descriptions_defaults_and_enums_with_a_percent_are_shown_as_written(
    table: Sequence[Operation],
) -> None:
    changed = [
        dataclasses.replace(
            operation,
            description=PROG_TEXT,
            resource_description=PROG_TEXT,
            parameters=tuple(_with_percent_texts(parameter) for parameter in operation.parameters),
        )
        for operation in table
    ]
    assert PROG_TEXT in help_of(changed, [])
    assert PROG_TEXT in help_of(changed, ["call-queues"])
    listing = help_of(changed, ["call-queues", "list"])
    assert listing.count(PROG_TEXT) == 2  # the operation's description and the flag's
    assert "--state {open,100%}" in listing
    assert 'default: "100%"' in listing
