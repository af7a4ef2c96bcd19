"""The CLI's settings: flags, then `CLOUDCX_*` variables, then a profile of the config file.

The config file is TOML, at `$CLOUDCX_CONFIG`, else `$XDG_CONFIG_HOME/cloudcx/config.toml`, else
`~/.config/cloudcx/config.toml`, with a `[default]` table and `[profiles.<name>]` tables of the
keys in `FIELDS` (`cloudcx config show --help` shows an example).

Each setting is resolved on its own, and remembers where it came from, so that `cloudcx config
show` can say why a value is what it is. Secrets are held as `Secret` from the moment they are
read.
"""

from __future__ import annotations

import logging
import os
import stat
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .._config import ENV_VARS, overridden_by_explicit
from .._exceptions import ConfigurationError
from .._secrets import Secret

__all__ = [
    "FIELDS",
    "SECRET_FIELDS",
    "Setting",
    "Settings",
    "config_path",
    "load_settings",
]

log = logging.getLogger("cloudcx.cli")

AuthMode = Literal["api key", "password grant", "none"]

FIELDS = (
    "base_url",
    "token_url",
    "api_key",
    "client_id",
    "client_secret",
    "username",
    "password",
)
SECRET_FIELDS = frozenset({"api_key", "client_secret", "password"})
DEFAULT_PROFILE = "default"
PROFILE_ENV = "CLOUDCX_PROFILE"
CONFIG_ENV = "CLOUDCX_CONFIG"


@dataclass(frozen=True, slots=True)
class Setting:
    """One resolved setting and where it came from (`--base-url`, `CLOUDCX_PASSWORD`, ...)."""

    value: str | Secret
    source: str

    def text(self) -> str:
        """The value itself, for passing on to the client. Never print the result."""
        return self.value.get_secret_value() if isinstance(self.value, Secret) else self.value


@dataclass(frozen=True, slots=True)
class Settings:
    """The effective configuration of one CLI invocation."""

    profile: str
    profile_source: str
    config_file: Path
    config_found: bool
    values: Mapping[str, Setting] = field(default_factory=dict)
    #: Where the settings set aside came from (`CLOUDCX_PASSWORD`, ...): flags for the other
    #: way to authenticate win over them.
    ignored: tuple[str, ...] = ()

    def get(self, name: str) -> str | None:
        """The value of setting `name` in clear, or `None` when it is not set."""
        setting = self.values.get(name)
        return None if setting is None else setting.text()

    def with_value(self, name: str, value: str | Secret, source: str) -> Settings:
        """A copy with setting `name` set (used for the password typed at the prompt)."""
        values = dict(self.values)
        values[name] = Setting(value, source)
        return Settings(
            self.profile,
            self.profile_source,
            self.config_file,
            self.config_found,
            values,
            self.ignored,
        )

    @property
    def auth_mode(self) -> AuthMode:
        """`api key`, `password grant`, or `none` (nothing configured yet)."""
        if "api_key" in self.values:
            return "api key"
        if any(name in self.values for name in ("client_id", "username", "password")):
            return "password grant"
        return "none"


def config_path(environ: Mapping[str, str]) -> Path:
    """Where the config file is: `$CLOUDCX_CONFIG`, else the XDG config directory."""
    explicit = environ.get(CONFIG_ENV)
    if explicit:
        return Path(explicit).expanduser()
    base = environ.get("XDG_CONFIG_HOME")
    root = Path(base) if base else Path.home() / ".config"
    return root / "cloudcx" / "config.toml"


def _read_file(path: Path) -> dict[str, Any] | None:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigurationError(f"cannot read the config file {path}: {exc.strerror}") from exc
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        # TOMLDecodeError names a line and column, never the offending value.
        raise ConfigurationError(f"the config file {path} is not valid TOML: {exc}") from exc


def _check_table(path: Path, where: str, table: object) -> dict[str, str]:
    if not isinstance(table, dict):
        raise ConfigurationError(f"{where} in {path} must be a table")
    for key, value in table.items():
        if key not in FIELDS:
            raise ConfigurationError(
                f"unknown setting {key!r} in {where} of {path}; known: {', '.join(FIELDS)}"
            )
        if not isinstance(value, str):
            raise ConfigurationError(f"{key} in {where} of {path} must be a string")
    return table


def _profiles(path: Path, document: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Every profile of the file, `default` included, validated."""
    found: dict[str, dict[str, str]] = {}
    for key, table in document.items():
        if key == DEFAULT_PROFILE:
            found[DEFAULT_PROFILE] = _check_table(path, "[default]", table)
        elif key == "profiles":
            if not isinstance(table, dict):
                raise ConfigurationError(f"[profiles] in {path} must hold [profiles.<name>] tables")
            for name, profile in table.items():
                found[name] = _check_table(path, f"[profiles.{name}]", profile)
        else:
            raise ConfigurationError(
                f"unknown table [{key}] in {path}; use [default] and [profiles.<name>]"
            )
    return found


def _warn_if_readable(path: Path, profiles: Mapping[str, Mapping[str, str]]) -> None:
    holds_secret = any(name in SECRET_FIELDS for table in profiles.values() for name in table)
    if not holds_secret or os.name != "posix":
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        print(
            f"cloudcx: warning: {path} holds secrets and is readable by others "
            f"(mode {mode:04o}); run: chmod 600 {path}",
            file=sys.stderr,
        )


def load_settings(
    flags: Mapping[str, str | None],
    *,
    profile: str | None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """Resolve every setting: `flags` first, then the environment, then the profile's table.

    `flags` holds the non-secret command-line options (a secret is never taken from the command
    line, where shell history and `ps` would show it). `profile` is the `--profile` option.
    """
    env = os.environ if environ is None else environ
    if profile:
        profile_name, profile_source = profile, "--profile"
    elif env.get(PROFILE_ENV):
        profile_name, profile_source = env[PROFILE_ENV], PROFILE_ENV
    else:
        profile_name, profile_source = DEFAULT_PROFILE, ""

    path = config_path(env)
    document = _read_file(path)
    profiles = {} if document is None else _profiles(path, document)
    if document is not None:
        _warn_if_readable(path, profiles)
    if profile_name not in profiles and profile_name != DEFAULT_PROFILE:
        known = ", ".join(sorted(name for name in profiles if name != DEFAULT_PROFILE))
        where = f"{path}" if document is not None else f"{path} (which does not exist)"
        raise ConfigurationError(
            f"no profile {profile_name!r} in {where}" + (f"; profiles: {known}" if known else "")
        )
    table = profiles.get(profile_name, {})
    label = "[default]" if profile_name == DEFAULT_PROFILE else f"[profiles.{profile_name}]"
    log.debug("config file %s (%s), profile %s", path, "found" if document else "absent", label)

    values: dict[str, Setting] = {}
    for name in FIELDS:
        flag_value = flags.get(name)
        env_value = env.get(ENV_VARS[name])
        if flag_value:
            raw, source = flag_value, "--" + name.replace("_", "-")
        elif env_value:
            raw, source = env_value, ENV_VARS[name]
        elif table.get(name):
            raw, source = table[name], f"{label} in {path.name}"
        else:
            continue
        values[name] = Setting(Secret(raw) if name in SECRET_FIELDS else raw, source)
        log.debug("%s from %s", name, source)
    from_flags = {name for name in values if flags.get(name)}
    overridden = overridden_by_explicit(from_flags, set(values) - from_flags)
    ignored = tuple(values.pop(name).source for name in overridden)
    return Settings(profile_name, profile_source, path, document is not None, values, ignored)
