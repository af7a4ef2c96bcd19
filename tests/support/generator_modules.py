"""The generator's emitters (scripts beside `generator/regenerate.py`, not installed modules),
imported from their files, once per process, so every test shares one module object."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from tests.support.grown_spec import list_operation_spec
from tests.support.tools import ROOT

GENERATOR = ROOT / "generator"


def load_module_file(name: str, folder: Path = GENERATOR) -> ModuleType:
    """The module `folder/<name>.py`, registered as `name` (the first load of that name wins).

    Registered before it runs: dataclasses and msgspec look their module up, and the emitters
    import each other by these names.
    """
    if name in sys.modules:
        return sys.modules[name]
    found = importlib.util.spec_from_file_location(name, folder / f"{name}.py")
    assert found is not None
    assert found.loader is not None
    module = importlib.util.module_from_spec(found)
    sys.modules[name] = module
    found.loader.exec_module(module)
    return module


def users_list_fast_path(folder: Path) -> ModuleType:
    """The fast path the generator writes for the project's spec grown by an operation whose
    `data` is a list of `User`, over the real models (`FAST_LIST_DECODERS[User]` decodes it),
    written into `folder` and loaded once per process like the emitters."""
    operation_table = load_module_file("operation_table")
    fast_path = load_module_file("fast_path")
    spec = list_operation_spec(
        {"type": "array", "items": {"$ref": "#/components/schemas/User"}}, {}
    )
    source: str = fast_path.render_fast_path(spec, operation_table.read_operations(spec))
    (folder / "users_list_fast_path.py").write_text(
        source.replace("from .models import", "from cloudcx_openapi.models import")
    )
    return load_module_file("users_list_fast_path", folder)
