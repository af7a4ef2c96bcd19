"""Prove spec/cloudcx.yaml in TypeScript, as another team would use it (`make interop`).

Two checks, run in a build directory (default `build/interop`, which git ignores):

1. Types: openapi-typescript turns the spec into `cloudcx-api.d.ts`, and `tsc --strict --noEmit`
   checks `interop/typescript/usage.ts` against it (its `@ts-expect-error` lines fail the check
   if the types ever become looser than the contract).
2. Client: OpenAPI Generator (the `openapi-generator-cli` wheel, on the machine's Java) builds a
   `typescript-fetch` client, `tsc --strict` compiles `list-users.ts` with it, and Node runs it
   against a CloudCX simulator started here on 127.0.0.1: obtain a token, list every user page
   by page with the token and with the API key, search by keyword, see a bad token refused.

Usage:
    python interop/run.py [--build-dir DIR] [--spec FILE] [--types-only]

Exit status 0 when every step passed; otherwise the failing tool's output and a non-zero status.
Nothing here reaches beyond loopback: the generators read the local spec, and the client talks
only to the simulator.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

__all__ = ["main"]

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "interop" / "typescript"
NODE_BIN = ROOT / "node_modules" / ".bin"
USERS = 60
# Minutes are far above what any step takes (seconds); they only stop a hung tool.
STEP_TIMEOUT = 300

QUIET_TOOLS = {"REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"}

# OpenAPI Generator 7.x maps an OpenAPI 3.1 `type: "null"` schema (ErrorEnvelope.data) to a
# model class `Null` that it never writes, so the client would not compile. Declaring `null`
# a TypeScript primitive makes it emit the literal type `null`, which is what the spec means.
GENERATOR_NULL_WORKAROUND = [
    "--type-mappings=null=null,Null=null",
    "--language-specific-primitives=null,Null",
]


class StepFailed(Exception):
    """A tool exited non-zero; the message carries its output."""


def _run(step: str, command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    print(f"interop: {step}", flush=True)
    result = subprocess.run(
        command,
        cwd=cwd,
        # openapi-typescript is built on Redocly's libraries: keep them from calling home.
        env={**(os.environ if env is None else env), **QUIET_TOOLS},
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
        check=False,
    )
    if result.returncode != 0:
        raise StepFailed(
            f"{step} failed (exit {result.returncode}):\n{result.stdout}{result.stderr}".rstrip()
        )
    return result.stdout


def _tool(name: str) -> str:
    path = NODE_BIN / name
    if not path.exists():
        raise StepFailed(f"{path} is missing: run `make node-tools` (npm ci) first")
    return str(path)


def _generator() -> str:
    beside = Path(sys.executable).parent / "openapi-generator-cli"
    found = str(beside) if beside.exists() else shutil.which("openapi-generator-cli")
    if found is None:
        raise StepFailed("openapi-generator-cli is not installed: run `make venv` first")
    return found


def prepare(build: Path) -> None:
    """Lay the TypeScript sources into an empty `build`, beside a link to node_modules."""
    if build.exists():
        shutil.rmtree(build)
    shutil.copytree(SOURCES, build)
    # tsc finds @types/node, and Node its modules, through this link from any build folder.
    (build / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)


def check_types(spec: Path, build: Path) -> None:
    """Generate the types with openapi-typescript and type-check usage.ts strictly."""
    _run(
        "openapi-typescript",
        [_tool("openapi-typescript"), str(spec), "--output", str(build / "cloudcx-api.d.ts")],
        build,
    )
    _run("tsc --strict usage.ts", [_tool("tsc"), "--strict", "-p", "tsconfig.usage.json"], build)


def build_client(spec: Path, build: Path) -> Path:
    """Generate the typescript-fetch client and compile list-users.ts with it; return the JS."""
    _run(
        "openapi-generator-cli generate -g typescript-fetch",
        [
            _generator(),
            "generate",
            "--generator-name",
            "typescript-fetch",
            "--input-spec",
            str(spec),
            "--output",
            str(build / "fetch-client"),
            *GENERATOR_NULL_WORKAROUND,
        ],
        build,
    )
    _run(
        "tsc --strict list-users.ts",
        [_tool("tsc"), "--strict", "-p", "tsconfig.client.json"],
        build,
    )
    return build / "dist" / "list-users.js"


def run_client(program: Path, build: Path) -> dict[str, Any]:
    """Run the compiled client against a fresh simulator and check what it reports."""
    from cloudcx.testing import SimulatorProcess

    with SimulatorProcess(users=USERS) as sim:
        env = {
            **os.environ,
            "CLOUDCX_BASE_URL": sim.base_url,
            "CLOUDCX_TOKEN_URL": sim.token_url,
            "CLOUDCX_CLIENT_ID": sim.client_id,
            "CLOUDCX_CLIENT_SECRET": sim.client_secret,
            "CLOUDCX_USERNAME": sim.username,
            "CLOUDCX_PASSWORD": sim.password,
            "CLOUDCX_API_KEY": sim.api_key,
        }
        output = _run(
            "node list-users.js (against the simulator)", ["node", str(program)], build, env
        )
        token_requests, api_requests = sim.token_requests, sim.api_requests
    report: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    problems = []
    if report.get("users") != USERS:
        problems.append(f"listed {report.get('users')} users, the simulator holds {USERS}")
    if report.get("refusedStatus") != 401:
        problems.append(f"a bad token got {report.get('refusedStatus')}, not 401")
    if token_requests < 1 or api_requests < 2:
        problems.append(f"the simulator saw {token_requests} token and {api_requests} API requests")
    if problems:
        raise StepFailed("the typescript-fetch client misbehaved: " + "; ".join(problems))
    report["simulatorTokenRequests"] = token_requests
    report["simulatorApiRequests"] = api_requests
    return report


def main(argv: list[str] | None = None) -> int:
    """Run the checks; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--build-dir", type=Path, default=ROOT / "build" / "interop")
    parser.add_argument("--spec", type=Path, default=ROOT / "spec" / "cloudcx.yaml")
    parser.add_argument("--types-only", action="store_true", help="skip the generated client")
    args = parser.parse_args(argv)
    build, spec = args.build_dir.resolve(), args.spec.resolve()
    try:
        prepare(build)
        check_types(spec, build)
        if not args.types_only:
            report = run_client(build_client(spec, build), build)
            print("interop: typescript-fetch client report " + json.dumps(report, sort_keys=True))
    except (StepFailed, subprocess.TimeoutExpired) as failure:
        print(f"interop: FAILED: {failure}", file=sys.stderr)
        return 1
    print("interop: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
