"""Regenerate the `cloudcx_openapi` package from the OpenAPI document.

Usage:
    python generator/regenerate.py                 # rewrite generated/cloudcx_openapi
    python generator/regenerate.py --check         # fail, with a diff, if generated/ has drifted
    python generator/regenerate.py --spec S --out D  # generate from another spec into another folder

The generator (openapi-python-client) is pinned in pyproject.toml; its configuration lives
beside this script, and so do our additions: the hooks into its stock model template
(`template_hooks.py`, no template is copied), and our own emitters, run after it, of the
operation table (`operation_table.py` -> `operations.py`) and the typed resource classes
(`resource_classes.py` -> `resources.py`), and the fast decoders (`fast_path.py` -> `fast_path.py`).
Formatting is applied here, with a ruff configuration
of its own, so that the output is byte-for-byte the same on every run and on every machine.
"""

from __future__ import annotations

import argparse
import difflib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# Run as a script (`python generator/regenerate.py`): the emitters sit beside it.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from fast_path import write_fast_path  # noqa: E402
from operation_table import SpecError, load_spec, write_operation_table  # noqa: E402
from resource_classes import write_resources  # noqa: E402
from template_hooks import TemplateDrift, write_templates  # noqa: E402

GENERATOR_DIR = Path(__file__).resolve().parent
PROJECT_DIR = GENERATOR_DIR.parent
DEFAULT_SPEC = PROJECT_DIR / "spec" / "cloudcx.yaml"
DEFAULT_OUT = PROJECT_DIR / "generated"
PACKAGE = "cloudcx_openapi"
TEMPLATES = GENERATOR_DIR / "templates"


def _tool(name: str) -> str:
    """Find a console script installed beside this interpreter, falling back to PATH."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        sys.exit(f"regenerate: {name} is not installed; run `make venv` first")
    return found


def generate(spec: Path, out_dir: Path) -> Path:
    """Generate the package from `spec` into `out_dir`/cloudcx_openapi and format it."""
    package_dir = out_dir / PACKAGE
    try:
        templates = write_templates(load_spec(spec), TEMPLATES, out_dir / "templates")
    except TemplateDrift as exc:
        sys.exit(f"regenerate: {exc}")
    command = [
        _tool("openapi-python-client"),
        "generate",
        "--path",
        str(spec),
        "--config",
        str(GENERATOR_DIR / "config.yaml"),
        "--meta",
        "none",
        "--output-path",
        str(package_dir),
        "--overwrite",
        "--fail-on-warning",
        "--custom-template-path",
        str(templates),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        sys.exit(f"regenerate: openapi-python-client failed with exit code {result.returncode}")
    try:
        operations = write_operation_table(spec, package_dir)
        write_resources(operations, package_dir)
        write_fast_path(load_spec(spec), operations, package_dir)
    except SpecError as exc:
        sys.exit(f"regenerate: {spec}: {exc}")
    ruff = _tool("ruff")
    config = str(GENERATOR_DIR / "ruff.toml")
    for step in (["check", "--fix-only", "--quiet"], ["format", "--quiet"]):
        subprocess.run([ruff, *step, "--config", config, str(package_dir)], check=True)
    return package_dir


def _files(root: Path) -> dict[str, Path]:
    return {
        str(path.relative_to(root)): path
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def diff_trees(expected: Path, actual: Path) -> list[str]:
    """Return a unified diff that turns `actual` (committed) into `expected` (regenerated)."""
    want, have = _files(expected), _files(actual)
    lines: list[str] = []
    for name in sorted(want.keys() | have.keys()):
        old = have[name].read_text().splitlines(keepends=True) if name in have else []
        new = want[name].read_text().splitlines(keepends=True) if name in want else []
        if old != new:
            lines += difflib.unified_diff(old, new, f"generated/{PACKAGE}/{name}", f"regenerated/{PACKAGE}/{name}")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Run the regeneration, or the drift check with `--check`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="cloudcx-regen-") as scratch:
        fresh = generate(args.spec.resolve(), Path(scratch))
        committed = args.out / PACKAGE
        if args.check:
            drift = diff_trees(fresh, committed)
            if drift:
                sys.stdout.writelines(drift)
                print(
                    f"\ngenerated/{PACKAGE} differs from what {args.spec} produces: "
                    "run `make generate` and commit the result (never edit generated/ by hand).",
                    file=sys.stderr,
                )
                return 1
            print(f"generated/{PACKAGE} matches {args.spec}")
            return 0
        if committed.exists():
            shutil.rmtree(committed)
        committed.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(fresh, committed)
        print(f"regenerated {committed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
