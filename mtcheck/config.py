"""Project configuration: ``mtcheck.toml``, ``[tool.mtcheck]`` or ``[mtcheck]`` in setup.cfg.

The nearest file walking up from the working directory wins. Unknown keys and
bad values raise :class:`ConfigError` naming the key, which the CLI turns into
exit code 2.
"""
from __future__ import annotations

import fnmatch
import os
import re
from pathlib import Path
from typing import Any, NamedTuple

from .errors import ConfigError
from .finding import SEVERITIES

LANGS_RE = re.compile(r"^[a-z]{2}$")
DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024
CODE_PREFIX_RE = re.compile(r"^(ALL|[UNCPFSRA]\d{0,3})$", re.IGNORECASE)


class Config(NamedTuple):
    """One run's configuration (a NamedTuple: cheaper to define at start-up than a
    frozen dataclass)."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    severity: tuple[tuple[str, str], ...] = ()  # code or prefix -> severity
    source_lang: str | None = None
    target_lang: str | None = None
    fail_on: str = "error"
    names_file: str | None = None
    profile: str | None = None  # a reference profile directory (`mtcheck learn`)
    accept: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    path: str | None = None  # the file it came from
    root: str = "."  # directory globs and relative paths are resolved against

    def with_(self, **changes: Any) -> "Config":
        return self._replace(**{k: v for k, v in changes.items() if v is not None})

    def ignored_for(self, filename: str) -> tuple[str, ...]:
        """Codes ignored for this file by ``per-file-ignores``."""
        if not self.per_file_ignores:
            return ()
        candidates = {filename.replace(os.sep, "/")}
        try:
            rel = os.path.relpath(os.path.abspath(filename), os.path.abspath(self.root))
            candidates.add(rel.replace(os.sep, "/"))
        except ValueError:
            pass
        out: list[str] = []
        for pattern, codes in self.per_file_ignores:
            if any(fnmatch.fnmatch(c, pattern) or fnmatch.fnmatch(os.path.basename(c), pattern) for c in candidates):
                out.extend(codes)
        return tuple(out)

    def severity_for(self, code: str, default: str) -> str:
        best, n = default, -1
        for prefix, sev in self.severity:
            if code.startswith(prefix.upper()) and len(prefix) > n:
                best, n = sev, len(prefix)
        return best

    def resolve(self, relative: str) -> str:
        return relative if os.path.isabs(relative) else os.path.join(self.root, relative)


# -- validation -----------------------------------------------------------------

def _codes(key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [v for v in re.split(r"[,\s]+", value) if v]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"'{key}' must be a list of rule codes or prefixes")
    for v in value:
        if not CODE_PREFIX_RE.match(v):
            raise ConfigError(f"'{key}': {v!r} is not a rule code or prefix (e.g. P, P001, ALL)")
    return tuple(v.upper() for v in value)


def _lang(key: str, value: Any) -> str:
    if not isinstance(value, str) or not LANGS_RE.match(value.lower()):
        raise ConfigError(f"'{key}' must be a two-letter ISO 639-1 code, got {value!r}")
    return value.lower()


def _severity(key: str, value: Any, *, allow_off: bool = False) -> str:
    allowed = SEVERITIES + (("off",) if allow_off else ())
    if value not in allowed:
        raise ConfigError(f"'{key}' must be one of {', '.join(allowed)}, got {value!r}")
    return value


def _size(key: str, value: Any) -> int:
    if isinstance(value, bool):
        raise ConfigError(f"'{key}' must be a size such as 5000000 or \"10MB\"")
    if isinstance(value, int) and value > 0:
        return value
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMG]?B?)\s*", value.upper())
        if m:
            mult = {"": 1, "B": 1, "K": 1024, "KB": 1024, "M": 1024**2, "MB": 1024**2, "G": 1024**3, "GB": 1024**3}[m.group(2)]
            return int(float(m.group(1)) * mult)
    raise ConfigError(f"'{key}' must be a size such as 5000000 or \"10MB\", got {value!r}")


def _strings(key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [v.strip() for v in value.splitlines() if v.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"'{key}' must be a list of strings")
    return tuple(value)


def from_mapping(data: dict[str, Any], *, path: str | None = None, root: str = ".") -> Config:
    """Validate a configuration table; keys may use dashes or underscores."""
    where = f" in {path}" if path else ""
    kw: dict[str, Any] = {"path": path, "root": root}
    for raw_key, value in data.items():
        key = raw_key.replace("_", "-")
        try:
            if key in ("select", "ignore"):
                kw[key] = _codes(key, value)
            elif key == "per-file-ignores":
                if not isinstance(value, dict):
                    raise ConfigError("'per-file-ignores' must be a table of glob = [codes]")
                kw["per_file_ignores"] = tuple((str(g), _codes(f"per-file-ignores.{g}", c)) for g, c in value.items())
            elif key == "severity":
                if not isinstance(value, dict):
                    raise ConfigError("'severity' must be a table of CODE = \"error|warning|info|off\"")
                kw["severity"] = tuple(
                    (_codes("severity", [c])[0], _severity(f"severity.{c}", s, allow_off=True)) for c, s in value.items()
                )
            elif key in ("source-lang", "target-lang"):
                kw[key.replace("-", "_")] = _lang(key, value)
            elif key == "fail-on":
                kw["fail_on"] = _severity(key, value)
            elif key == "names-file":
                if not isinstance(value, str):
                    raise ConfigError("'names-file' must be a path")
                kw["names_file"] = value
            elif key == "profile":
                if not isinstance(value, str) or not value.strip():
                    raise ConfigError("'profile' must be the path of a profile directory (made by `mtcheck learn`)")
                kw["profile"] = value
            elif key in ("accept", "exclude"):
                kw[key] = _strings(key, value)
            elif key == "max-file-size":
                kw["max_file_size"] = _size(key, value)
            else:
                raise ConfigError(f"unknown key {raw_key!r}")
        except ConfigError as exc:
            raise ConfigError(f"{exc}{where}") from None
    return Config(**kw)


# -- discovery --------------------------------------------------------------------

def _read_toml(path: Path) -> dict[str, Any]:
    # Imported here, as configparser below: most runs read no configuration file.
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from None


def _setup_cfg_table(path: Path) -> dict[str, Any] | None:
    import configparser

    parser = configparser.ConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from None
    if not parser.has_section("mtcheck"):
        return None
    table: dict[str, Any] = {}
    for key, value in parser.items("mtcheck"):
        k = key.replace("_", "-")
        if k in ("per-file-ignores", "severity"):
            pairs = {}
            for line in value.splitlines():
                if line.strip():
                    if ":" not in line and "=" not in line:
                        raise ConfigError(f"{path}: '{k}' lines must read 'pattern: codes'")
                    left, right = re.split(r"[:=]", line, maxsplit=1)
                    pairs[left.strip()] = right.strip() if k == "severity" else right.strip()
            table[key] = pairs
        else:
            table[key] = value
    return table


def load_file(path: str | os.PathLike[str]) -> Config:
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"{p}: configuration file not found")
    root = str(p.resolve().parent)
    if p.name == "setup.cfg" or p.suffix == ".cfg":
        table = _setup_cfg_table(p) or {}
    elif p.name == "pyproject.toml":
        table = _read_toml(p).get("tool", {}).get("mtcheck", {})
    else:
        table = _read_toml(p)
        table = table.get("mtcheck", table) if isinstance(table.get("mtcheck"), dict) else table
    return from_mapping(table, path=str(p), root=root)


def find_config(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The nearest configuration file from ``start`` upwards, or None."""
    here = Path(start or os.getcwd()).resolve()
    for d in (here, *here.parents):
        candidate = d / "mtcheck.toml"
        if candidate.is_file():
            return candidate
        candidate = d / "pyproject.toml"
        if candidate.is_file():
            try:
                if "mtcheck" in _read_toml(candidate).get("tool", {}):
                    return candidate
            except ConfigError:
                pass
        candidate = d / "setup.cfg"
        if candidate.is_file():
            try:
                if _setup_cfg_table(candidate) is not None:
                    return candidate
            except ConfigError:
                pass
    return None


def discover(start: str | os.PathLike[str] | None = None) -> Config:
    found = find_config(start)
    return load_file(found) if found else Config()
