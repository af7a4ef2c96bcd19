"""The generator's emitters (scripts beside `generator/regenerate.py`, not installed modules),
imported from their files, once per process, so every test shares one module object."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

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
