"""The public surface: `cloudcx.__all__` lists exactly the public names, each documented."""

from __future__ import annotations

import inspect
from pathlib import Path

import cloudcx


def test_all_lists_the_public_names() -> None:
    public = {name for name in dir(cloudcx) if not name.startswith("_")}
    modules = {name for name in public if inspect.ismodule(getattr(cloudcx, name))}
    assert set(cloudcx.__all__) - {"__version__"} == public - modules


def test_all_is_sorted() -> None:
    names = [name for name in cloudcx.__all__ if name != "__version__"]
    assert names == sorted(names, key=lambda name: (not name.isupper(), name))


def test_every_public_name_has_a_docstring() -> None:
    for name in cloudcx.__all__:
        value = getattr(cloudcx, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), f"cloudcx.{name} has no docstring"


def test_the_package_is_typed() -> None:
    assert Path(cloudcx.__file__).with_name("py.typed").is_file()
