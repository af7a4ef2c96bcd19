"""A generated resource's help quotes the description of its tag in the spec."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import pytest

from cloudcx_openapi.operations import Operation
from tests.support.cli import help_of
from tests.support.grown_spec import QUEUES_TAG_DESCRIPTION

# Slow: the module first generates a package from a grown spec.
# One worker runs every test of the "grown" group, so the grown package is generated once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grown")]


def test_the_resource_help_quotes_its_tag_description(table: Sequence[Operation]) -> None:
    assert QUEUES_TAG_DESCRIPTION in help_of(table, ["call-queues"])
    # Also in the list of commands; its `%` is shown as written, not expanded by argparse.
    assert QUEUES_TAG_DESCRIPTION in help_of(table, [])
    assert "the call queues resource" not in help_of(table, [])


def test_a_resource_whose_tag_has_no_description_is_named(table: Sequence[Operation]) -> None:
    undescribed = [dataclasses.replace(operation, resource_description="") for operation in table]
    assert "The call queues resource." in help_of(undescribed, ["call-queues"])
