"""requirements.lock pins the whole dependency tree; pyproject.toml's pins must agree with it,
and the environment the tests run in must be the locked one."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _name(s: str) -> str:
    return re.sub(r"[-_.]+", "-", s).lower()


def _lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"requirements.lock: `{line}` is not `name==version` — run `make lock`"
            pins[_name(name)] = version
    return pins


def test_every_pin_in_pyproject_is_the_locked_version():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"]) + [d for ds in project["optional-dependencies"].values() for d in ds]
    lock = _lock()
    wrong = []
    for requirement in wanted:
        name, _, version = requirement.partition("==")
        name = _name(name.split("[")[0])
        if lock.get(name) != version:
            wrong.append(f"{name}: pyproject {version}, lock {lock.get(name)}")
    assert not wrong, "pyproject.toml and requirements.lock disagree — run `make lock`: " + "; ".join(wrong)


def test_the_installed_environment_is_the_locked_one():
    lock = _lock()
    installed = {_name(d.metadata["Name"]): d.version for d in metadata.distributions()}
    tools = {"pip", "setuptools", "wheel", "terrain"}
    drift = [
        f"{name} {version} (lock {lock.get(name)})"
        for name, version in installed.items()
        if name not in tools and lock.get(name) != version
    ]
    assert not drift, "installed packages differ from requirements.lock — rerun `make setup`: " + ", ".join(drift)
