"""The public surface: `cloudcx.__all__` lists exactly the public names, each documented."""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Iterator
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


def test_type_checkers_see_the_same_names_as_the_runtime() -> None:
    # `cloudcx/__init__.py` declares its names in `_EXPORTS` (the runtime) and again as imports
    # under TYPE_CHECKING (mypy cannot follow the table): the two must name the same things.
    tree = ast.parse(Path(cloudcx.__file__).read_text(encoding="utf-8"))
    guarded = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
    )
    seen = {
        (f"{'.' * node.level}{node.module}", alias.name)
        for node in guarded.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.asname == alias.name
    }
    declared = {(module, name) for module, names in cloudcx._EXPORTS.items() for name in names}
    assert seen == declared
    assert len(seen) == len(cloudcx.__all__) == 27


def _public_docstrings() -> Iterator[tuple[str, str]]:
    for name in cloudcx.__all__:
        value = getattr(cloudcx, name)
        if not (inspect.isclass(value) or inspect.isfunction(value)):
            continue
        yield f"cloudcx.{name}", inspect.getdoc(value) or ""
        for member, attribute in vars(value).items() if inspect.isclass(value) else ():
            if not member.startswith("_") and callable(attribute):
                yield f"cloudcx.{name}.{member}", inspect.getdoc(attribute) or ""


def test_public_docstrings_never_send_readers_to_private_modules() -> None:
    found = {where for where, text in _public_docstrings() if re.search(r"cloudcx\._", text)}
    assert not found
