"""The generator override stays small and honest (issue 15).

No stock openapi-python-client template is copied: `generator/template_hooks.py` inserts our
blocks into the pinned generator's own `model.py.jinja` at a few anchor lines. These tests fail
when the installed generator's template changes under an anchor, and when the credentials kept
out of the models' `repr` differ from the spec's `format: password` properties.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from typing import Any

import attrs
import pytest

import cloudcx_openapi.models
from tests.support.generator_modules import load_module_file
from tests.support.tools import ROOT

# PyYAML (a dependency of the generator) ships no type stubs.
yaml: Any = importlib.import_module("yaml")


hooks = load_module_file("template_hooks")


def _stock() -> str:
    text: str = (hooks.STOCK_TEMPLATES / hooks.MODEL_TEMPLATE).read_text(encoding="utf-8")
    return text


def test_the_template_is_not_copied() -> None:
    assert not (ROOT / "generator" / "templates" / "model.py.jinja").exists()
    copied = sum(len(hook.anchor.splitlines()) for hook in hooks.MODEL_HOOKS)
    assert copied <= 12, f"{copied} stock lines copied as anchors"


@pytest.mark.parametrize("hook", hooks.MODEL_HOOKS, ids=lambda hook: hook.anchor.splitlines()[0])
def test_every_anchor_occurs_once_in_the_installed_stock_template(hook: Any) -> None:
    assert _stock().count(hook.anchor) == 1


def test_a_stock_template_that_moved_under_an_anchor_stops_generation() -> None:
    anchor = hooks.MODEL_HOOKS[-1].anchor
    moved = _stock().replace(anchor, anchor.replace("return", "return  "))
    with pytest.raises(hooks.TemplateDrift, match=r"update generator/template_hooks\.py"):
        hooks.apply_hooks(moved, hooks.MODEL_HOOKS)


def test_the_hooked_template_keeps_the_rest_of_the_stock_template() -> None:
    patched = hooks.apply_hooks(_stock(), hooks.MODEL_HOOKS)
    inserted = [hook.before + hook.after + (hook.replace or "") for hook in hooks.MODEL_HOOKS]
    assert len(patched) - len(_stock()) == sum(map(len, inserted)) - sum(
        len(hook.anchor) for hook in hooks.MODEL_HOOKS if hook.replace is not None
    )


def _spec_secrets() -> set[str]:
    """Every property whose schema, directly or through one `$ref`, is `format: password`."""
    spec = yaml.safe_load((ROOT / "spec" / "cloudcx.yaml").read_text(encoding="utf-8"))
    schemas = spec["components"]["schemas"]

    def target(prop: dict[str, Any]) -> dict[str, Any]:
        if "$ref" in prop:
            found: dict[str, Any] = schemas[prop["$ref"].rsplit("/", 1)[-1]]
            return found
        return prop

    return {
        name
        for schema in schemas.values()
        for name, prop in (schema.get("properties") or {}).items()
        if target(prop).get("format") == "password"
    }


def _hidden_fields() -> set[str]:
    hidden: set[str] = set()
    for info in pkgutil.iter_modules(cloudcx_openapi.models.__path__):
        module = importlib.import_module(f"cloudcx_openapi.models.{info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and attrs.has(value) and value.__module__ == module.__name__:
                hidden |= {field.name for field in attrs.fields(value) if not field.repr}
    return hidden


def test_the_fields_kept_out_of_repr_are_the_specs_passwords() -> None:
    secrets = _spec_secrets()
    assert {"password", "client_secret", "access_token", "refresh_token"} <= secrets
    assert _hidden_fields() == secrets
    assert hooks.secret_fields(yaml.safe_load((ROOT / "spec" / "cloudcx.yaml").read_text())) == (
        sorted(secrets)
    )


def test_the_package_init_anchor_occurs_once_in_the_installed_stock_template() -> None:
    stock = (hooks.STOCK_TEMPLATES / hooks.PACKAGE_INIT_TEMPLATE).read_text(encoding="utf-8")
    for hook in hooks.PACKAGE_INIT_HOOKS:
        assert stock.count(hook.anchor) == 1


def test_a_stock_package_init_that_moved_under_its_anchor_stops_generation() -> None:
    stock = (hooks.STOCK_TEMPLATES / hooks.PACKAGE_INIT_TEMPLATE).read_text(encoding="utf-8")
    moved = stock.replace("from .client import", "from .client  import")
    with pytest.raises(hooks.TemplateDrift, match=r"package_init\.py\.jinja"):
        hooks.apply_hooks(moved, hooks.PACKAGE_INIT_HOOKS, name=hooks.PACKAGE_INIT_TEMPLATE)


def test_the_generated_package_imports_its_client_on_first_use() -> None:
    import cloudcx_openapi
    import cloudcx_openapi.client

    assert cloudcx_openapi.AuthenticatedClient is cloudcx_openapi.client.AuthenticatedClient
    assert cloudcx_openapi.Client is cloudcx_openapi.client.Client
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = cloudcx_openapi.no_such_name
