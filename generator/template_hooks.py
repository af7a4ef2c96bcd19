"""Our changes to the generator's stock `model.py.jinja` (and `package_init.py.jinja`), as hooks.

Custom templates are not openapi-python-client's public API, so no stock template is copied
here: at each run, `regenerate.py` reads the pinned generator's own `model.py.jinja` and
inserts our blocks at the anchors below. What we copy is only the anchors (a few stock lines);
each must occur exactly once in the stock template, or generation stops with `TemplateDrift`
(and `tests/spec/test_template_hooks.py` fails) naming the anchor: after an upgrade, find the
new spelling of that line in the stock template and update the anchor. Everything else in the
stock template (upstream fixes included) flows into the generated models unchanged.

The inserted blocks call macros of `templates/cloudcx_from_dict.jinja` (the strict, fast
`from_dict` and the credentials kept out of `repr`); see `templates/README.md`.

The credentials list is not written by hand: `secret_fields` reads the spec's
`format: password` properties and the patched template receives exactly those names.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openapi_python_client

STOCK_TEMPLATES = Path(openapi_python_client.__file__).resolve().parent / "templates"
MODEL_TEMPLATE = "model.py.jinja"
PACKAGE_INIT_TEMPLATE = "package_init.py.jinja"


class TemplateDrift(Exception):
    """The pinned generator's stock template no longer holds one of our anchors exactly once."""


@dataclass(frozen=True)
class Hook:
    """Insert `before` and `after` around `anchor`, a stock passage that occurs exactly once.

    With `replace`, the anchor itself is replaced by that text (the anchor stays the check).
    """

    anchor: str
    before: str = ""
    after: str = ""
    replace: str | None = None


_FROM_DICT_STOCK = """\
    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
    {% for lazy_import in model.lazy_imports | sort %}
        {{ lazy_import }} # noqa: PLC0415
    {% endfor %}
"""

MODEL_HOOKS: tuple[Hook, ...] = (
    # Imports and settings of the fast path, and the secret fields, at the module's top.
    Hook(
        anchor="from attrs import field as _attrs_field\n",
        after="""\
{% import "cloudcx_from_dict.jinja" as cloudcx %}
{% set cloudcx_fast = cloudcx.eligible(model) | trim == "yes" %}
{% if cloudcx_fast %}
from operator import itemgetter
{% if cloudcx.uses_uuid(model) %}
from uuid import SafeUUID
{% endif %}
{% endif %}
""",
    ),
    # The fast path's module-level helpers (field getters, the UUID builder).
    Hook(
        anchor='T = TypeVar("T", bound="{{ class_name }}")\n',
        after="""\
{% if cloudcx_fast %}
{{ cloudcx.module_helpers(model) }}
{% endif %}
""",
    ),
    # Credentials are declared out of the attrs repr.
    Hook(
        anchor="{% macro declare_property(property) %}\n",
        after="""\
{% if property.name in cloudcx_secret_fields %}
{{ cloudcx.secret_declaration(property) | trim }}
{% if config.docstrings_on_attributes and property.description %}
{{ docstring(property.description | safe_for_docstring) | wordwrap(112) }}
{%- endif %}
{% else %}
""",
    ),
    Hook(anchor="{% endmacro %}\n\n@_attrs_define\n", before="{% endif %}\n"),
    # Every `from_dict` takes `strict` (only the fast path uses it); the fast body, or stock.
    Hook(
        anchor=_FROM_DICT_STOCK,
        replace=_FROM_DICT_STOCK.replace(
            "src_dict: Mapping[str, Any]) -> T:", "src_dict: Mapping[str, Any], strict: bool = False) -> T:"
        )
        + """\
{% if cloudcx_fast %}
        {{ cloudcx.from_dict_body(model) | indent(8) }}
{% else %}
""",
    ),
    Hook(anchor="        return {{ module_name }}\n", after="{% endif %}\n"),
)


_PACKAGE_INIT_STOCK = "from .client import AuthenticatedClient, Client\n"

# The package's `__init__` imports `.client` (attrs) on first use of a name, not with the
# package: every `cloudcx_openapi` module, the resource classes included, is imported through it.
PACKAGE_INIT_HOOKS: tuple[Hook, ...] = (
    Hook(
        anchor=_PACKAGE_INIT_STOCK,
        replace="""\
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .client import AuthenticatedClient, Client


def __getattr__(name: str) -> object:
    \"\"\"Import `.client` on first use of one of its names.\"\"\"
    if name in __all__:
        from . import client

        return getattr(client, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
""",
    ),
)


def apply_hooks(stock: str, hooks: Iterable[Hook], *, name: str = MODEL_TEMPLATE) -> str:
    """Return `stock` with every hook applied; raise `TemplateDrift` if an anchor moved."""
    text = stock
    for hook in hooks:
        count = stock.count(hook.anchor)
        if count != 1:
            raise TemplateDrift(
                f"the stock {name} holds this anchor {count} times instead of once "
                f"(update generator/template_hooks.py for the new generator):\n{hook.anchor}"
            )
        middle = hook.anchor if hook.replace is None else hook.replace
        text = text.replace(hook.anchor, hook.before + middle + hook.after, 1)
    return text


def secret_fields(spec: Mapping[str, Any]) -> list[str]:
    """The names of the spec's schema properties marked `format: password`, sorted.

    A property may carry the format itself or through a `$ref` to a schema that does.
    """
    schemas = spec.get("components", {}).get("schemas", {})

    def resolved(node: Any) -> Any:
        seen: set[str] = set()
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str) and node["$ref"] not in seen:
            seen.add(node["$ref"])
            node = schemas.get(node["$ref"].rsplit("/", 1)[-1], {})
        return node

    names: set[str] = set()
    for schema in schemas.values():
        for name, prop in (schema.get("properties") or {}).items():
            target = resolved(prop)
            if isinstance(target, Mapping) and target.get("format") == "password":
                names.add(str(name))
    return sorted(names)


def write_templates(spec: Mapping[str, Any], custom: Path, destination: Path) -> Path:
    """Fill `destination` with our templates and the hooked stock `model.py.jinja` and package init."""
    destination.mkdir(parents=True, exist_ok=True)
    for template in sorted(custom.glob("*.jinja")):
        (destination / template.name).write_text(template.read_text(encoding="utf-8"), encoding="utf-8")
    stock = (STOCK_TEMPLATES / MODEL_TEMPLATE).read_text(encoding="utf-8")
    secrets = "{% set cloudcx_secret_fields = " + repr(secret_fields(spec)) + " %}\n"
    (destination / MODEL_TEMPLATE).write_text(secrets + apply_hooks(stock, MODEL_HOOKS), encoding="utf-8")
    init = (STOCK_TEMPLATES / PACKAGE_INIT_TEMPLATE).read_text(encoding="utf-8")
    hooked_init = apply_hooks(init, PACKAGE_INIT_HOOKS, name=PACKAGE_INIT_TEMPLATE)
    (destination / PACKAGE_INIT_TEMPLATE).write_text(hooked_init, encoding="utf-8")
    return destination
