"""The pytest plugin loads under any pytest a project may have: its hooks use old options only.

The plugin loads in every project that installs cloudcx (a `pytest11` entry point), and cloudcx
declares no pytest or pluggy minimum, so its hook implementations may use only what every
pluggy knows: `hookwrapper`, not `wrapper` (pluggy 1.1), which fails an older pytest's startup.
"""

from __future__ import annotations

import inspect

from cloudcx.testing import pytest_plugin

OLD_OPTIONS = {"hookwrapper", "optionalhook", "tryfirst", "trylast"}
"""The hook implementation options of pluggy 0.x, which every pytest from 3 on has."""


def test_every_hook_implementation_uses_only_old_options() -> None:
    hooks = {
        name: function.pytest_impl
        for name, function in inspect.getmembers(pytest_plugin, inspect.isfunction)
        if hasattr(function, "pytest_impl")
    }
    assert "pytest_runtest_call" in hooks
    for name, options in hooks.items():
        used = {option for option, value in options.items() if value}
        assert used <= OLD_OPTIONS, f"{name} uses {used - OLD_OPTIONS}"
    assert hooks["pytest_runtest_call"]["hookwrapper"]
