"""A simulator given an operation table written by an older generator refuses it when it starts.

The table's fields are only ever added (`data_list` came last), and the simulator reads them
while it answers: a table that lacks one is refused at load time with a `ConfigurationError`
naming what it lacks, not with an `AttributeError` and a dropped connection at the first request.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cloudcx import ConfigurationError
from cloudcx.testing import Simulator
from tests.support.tools import ROOT

TABLE = ROOT / "generated" / "cloudcx_openapi" / "operations.py"


def _table_without(field: str, folder: Path) -> Path:
    """The installed operation table, as a generator without `field` would have written it."""
    text = TABLE.read_text(encoding="utf-8")
    old = re.sub(rf"\n +{field}(: [^\n]+|=[^\n]+,)(?=\n)", "", text)
    assert old != text
    path = folder / "operations.py"
    path.write_text(old, encoding="utf-8")
    return path


def test_a_table_without_data_list_is_refused_naming_the_field(tmp_path: Path) -> None:
    old = _table_without("data_list", tmp_path)
    with pytest.raises(
        ConfigurationError, match=r"older generator: it lacks Operation\.data_list;"
    ):
        Simulator(users=3, operations=str(old)).start()


def test_a_file_that_is_no_table_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "operations.py"
    other.write_text("VALUE = 1\n", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="not an operation table"):
        Simulator(users=3, operations=str(other)).start()


def test_the_current_table_from_a_file_is_served(tmp_path: Path) -> None:
    current = tmp_path / "operations.py"
    current.write_text(TABLE.read_text(encoding="utf-8"), encoding="utf-8")
    with Simulator(users=3, operations=str(current)) as sim:
        assert sim.base_url.startswith("http://127.0.0.1:")
