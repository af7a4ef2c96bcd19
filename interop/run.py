"""Prove spec/cloudcx.yaml in other languages, as other teams would use it (`make interop`).

Checks, each in a build directory keyed by a hash of the spec (default `build/interop/<hash>`,
which git ignores), so that a client is generated and compiled once per spec:

1. Types: openapi-typescript turns the spec into `cloudcx-api.d.ts`, and `tsc --strict --noEmit`
   checks `interop/typescript/usage.ts` against it (its `@ts-expect-error` lines fail the check
   if the types ever become looser than the contract).
2. Clients: OpenAPI Generator (the `openapi-generator-cli` wheel, on the machine's Java) builds
   clients with no options at all: `typescript-fetch` (compiled with `tsc --strict`), `python`
   (installed with pip, offline, into the build directory), `go` (built in GOPATH mode against
   Debian's golang.org/x/oauth2) and `java`. Each runs against a CloudCX simulator started here on
   127.0.0.1 whose token endpoint is on a second port (the Control Panel domain): obtain a
   token with the password grant, list every user page by page with the token and with the
   API key, search by keyword, see a bad token refused. `java` (library `native`) is compiled
   and run the same way, with Debian's jars and, for two Jackson modules Debian does not
   package, the small stand-ins in `interop/java/stubs`.

Usage:
    python interop/run.py [--build-dir DIR] [--spec FILE] [--types-only] [--only NAME ...]

Exit status 0 when every step passed; otherwise the failing tool's output and a non-zero status.
Nothing here reaches beyond loopback: the generators read the local spec, pip installs without
an index, Go builds without modules, and the clients talk only to the simulator.
"""

from __future__ import annotations

import argparse
import hashlib
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

CLIENTS = ("typescript-fetch", "python", "go", "java")
#: Written last into a client's build folder: what is there is complete and is reused.
DONE = ".built"


class StepFailed(Exception):
    """A tool exited non-zero; the message carries its output."""


def _run(step: str, command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    print(f"interop: {step}", flush=True)
    try:
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
    except FileNotFoundError as missing:
        raise StepFailed(
            f"{step}: {command[0]} is not installed: run `make interop-deps`"
        ) from missing
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


def spec_key(spec: Path) -> str:
    """A short hash of the spec and of interop/: the name of the folder that clients build in.

    A change to either builds afresh; an unchanged tree reuses what was built.
    """
    digest = hashlib.sha256(spec.read_bytes())
    for source in sorted((ROOT / "interop").rglob("*")):
        if source.is_file() and "__pycache__" not in source.parts:
            digest.update(str(source.relative_to(ROOT)).encode() + source.read_bytes())
    return digest.hexdigest()[:16]


def _generate(name: str, spec: Path, output: Path, cwd: Path, *library: str) -> None:
    # No options beyond the generator's name (and Java's library): the spec alone must do.
    _run(
        f"openapi-generator-cli generate -g {name}",
        [_generator(), "generate", "-g", name, *library, "-i", str(spec), "-o", str(output)],
        cwd,
    )


def _fresh(folder: Path) -> bool:
    """Whether `folder` must be (re)built; if so, empty it first."""
    if (folder / DONE).exists():
        return False
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return True


def prepare_typescript(folder: Path) -> Path:
    """Lay the TypeScript sources into `folder`, beside a link to node_modules."""
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(SOURCES, folder)
    # tsc finds @types/node, and Node its modules, through this link from any build folder.
    (folder / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    return folder


def check_types(spec: Path, build: Path) -> None:
    """Generate the types with openapi-typescript and type-check usage.ts strictly."""
    folder = build / "types"
    if (folder / DONE).exists():
        return
    prepare_typescript(folder)
    _run(
        "openapi-typescript",
        [_tool("openapi-typescript"), str(spec), "--output", str(folder / "cloudcx-api.d.ts")],
        folder,
    )
    _run("tsc --strict usage.ts", [_tool("tsc"), "--strict", "-p", "tsconfig.usage.json"], folder)
    (folder / DONE).touch()


def build_typescript_fetch(spec: Path, build: Path) -> list[str]:
    """Generate the typescript-fetch client and compile list-users.ts with it."""
    folder = build / "typescript-fetch"
    if _fresh(folder):
        work = prepare_typescript(build / "typescript")
        _generate("typescript-fetch", spec, work / "fetch-client", work)
        _run(
            "tsc --strict list-users.ts",
            [_tool("tsc"), "--strict", "-p", "tsconfig.client.json"],
            work,
        )
        shutil.copytree(work / "dist", folder / "dist")
        (folder / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
        (folder / DONE).touch()
    return ["node", str(folder / "dist" / "list-users.js")]


def build_python(spec: Path, build: Path) -> list[str]:
    """Generate the python client and install it, offline, into the build folder."""
    folder = build / "python"
    if _fresh(folder):
        _generate("python", spec, folder / "client", folder)
        _run(
            "pip install the python client",
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-deps",
                "--no-index",
                "--no-build-isolation",
                "--target",
                str(folder / "site"),
                str(folder / "client"),
            ],
            folder,
        )
        (folder / DONE).touch()
    program = ROOT / "interop" / "python" / "list_users.py"
    # The client's dependencies (pydantic, urllib3, python-dateutil) come from this venv.
    return ["env", f"PYTHONPATH={folder / 'site'}", sys.executable, str(program)]


def build_go(spec: Path, build: Path) -> list[str]:
    """Generate the go client as GOPATH package `cloudcx` and build interop/go/main.go."""
    folder = build / "go"
    gopath = folder / "gopath"
    if _fresh(folder):
        package = gopath / "src" / "cloudcx"
        _generate("go", spec, package, folder)
        shutil.rmtree(package / "test", ignore_errors=True)
        program = gopath / "src" / "listusers"
        program.mkdir(parents=True)
        shutil.copy(ROOT / "interop" / "go" / "main.go", program)
        _run(
            "go build",
            ["go", "build", "-o", str(folder / "listusers"), "."],
            program,
            _go_env(gopath),
        )
        (folder / DONE).touch()
    return [str(folder / "listusers")]


def _go_env(gopath: Path) -> dict[str, str]:
    # GOPATH mode with Debian's Go libraries (golang-golang-x-oauth2-dev): no module download.
    return {
        **os.environ,
        "GO111MODULE": "off",
        "GOPATH": f"{gopath}:/usr/share/gocode",
        "GOCACHE": str(gopath.parent / "cache"),
        "GOFLAGS": "",
        "GOPROXY": "off",
    }


#: Debian's jars (`make interop-deps`) that the java client compiles and runs with.
JAVA_JARS = [
    "jackson-databind", "jackson-core", "jackson-annotations", "jsr305",
    "geronimo-annotation-1.3-spec", "httpclient", "httpcore", "httpmime", "commons-logging",
]  # fmt: skip


def _java_classpath(classes: Path) -> str:
    jars = [Path("/usr/share/java") / f"{name}.jar" for name in JAVA_JARS]
    missing = [str(jar) for jar in jars if not jar.exists()]
    if missing:
        raise StepFailed(f"missing {', '.join(missing)}: run `make interop-deps` first")
    return os.pathsep.join([str(classes), *map(str, jars)])


def build_java(spec: Path, build: Path) -> list[str]:
    """Generate the java (native) client and compile it with interop/java/ListUsers.java."""
    folder = build / "java"
    classes = folder / "classes"
    if _fresh(folder):
        _generate("java", spec, folder / "client", folder, "--library", "native")
        # jackson-datatype-jsr310 and jackson-databind-nullable are not packaged by Debian:
        # interop/java/stubs stands in for them (the spec has no dates; nullables are strings).
        sources = sorted((folder / "client" / "src" / "main" / "java").rglob("*.java"))
        sources += sorted((ROOT / "interop" / "java").rglob("*.java"))
        command = ["javac", "-nowarn", "-encoding", "UTF-8", "-d", str(classes)]
        command += ["-cp", _java_classpath(classes), *map(str, sources)]
        _run("javac (java client)", command, folder)
        (folder / DONE).touch()
    return ["java", "-cp", _java_classpath(classes), "ListUsers"]


BUILDERS = {
    "typescript-fetch": build_typescript_fetch,
    "python": build_python,
    "go": build_go,
    "java": build_java,
}


def run_client(name: str, command: list[str], build: Path) -> dict[str, Any]:
    """Run a built client against a fresh simulator and check what it reports."""
    from cloudcx.testing import SimulatorProcess

    with SimulatorProcess(users=USERS, separate_token_server=True) as sim:
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
        output = _run(f"{name} client (against the simulator)", command, build, env)
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
        raise StepFailed(f"the {name} client misbehaved: " + "; ".join(problems))
    report["simulatorTokenRequests"] = token_requests
    report["simulatorApiRequests"] = api_requests
    return report


def main(argv: list[str] | None = None) -> int:
    """Run the checks; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--build-dir", type=Path, default=ROOT / "build" / "interop")
    parser.add_argument("--spec", type=Path, default=ROOT / "spec" / "cloudcx.yaml")
    parser.add_argument("--types-only", action="store_true", help="skip the generated clients")
    parser.add_argument("--only", nargs="+", choices=CLIENTS, default=list(CLIENTS))
    args = parser.parse_args(argv)
    spec = args.spec.resolve()
    build = args.build_dir.resolve() / spec_key(spec)
    try:
        build.mkdir(parents=True, exist_ok=True)
        if args.types_only or "typescript-fetch" in args.only:
            check_types(spec, build)
        for name in [] if args.types_only else args.only:
            report = run_client(name, BUILDERS[name](spec, build), build)
            print(f"interop: {name} client report " + json.dumps(report, sort_keys=True))
    except (StepFailed, subprocess.TimeoutExpired) as failure:
        print(f"interop: FAILED: {failure}", file=sys.stderr)
        return 1
    print("interop: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
