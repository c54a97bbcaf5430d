"""pyproject.toml, environment.yml and requirements.lock pin the same package versions."""

from __future__ import annotations

import re
import tomllib

import yaml

from helpers.registers.paths import ROOT


def pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = {}
    for requirement in project["dependencies"]:
        name, version = re.fullmatch(r"([A-Za-z0-9_.-]+)==([\w.]+)", requirement).groups()
        pins[name.lower()] = version
    return pins


def all_pyproject_requirements() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return project["dependencies"] + sum(project["optional-dependencies"].values(), [])


def environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def environment_pip_section() -> list[str]:
    return next(item["pip"] for item in environment()["dependencies"] if isinstance(item, dict))


def conda_packages() -> dict[str, str]:
    """The packages conda itself installs (name -> version or '')."""
    return {item.split("=", 1)[0]: (item.split("=", 1) + [""])[1]
            for item in environment()["dependencies"] if isinstance(item, str)}


def environment_pip_pins() -> dict[str, str]:
    pins = {}
    for line in environment_pip_section():
        if "==" in line:
            name, version = line.split("==", 1)
            pins[name.lower()] = version
    return pins


def lock_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            match = re.fullmatch(r"([A-Za-z0-9_.-]+)==([\w.+!-]+)", line.strip())
            assert match, f"requirements.lock: {line!r} is not 'name==version'"
            pins[match[1].lower().replace("_", "-")] = match[2]
    return pins


def test_conda_supplies_only_python_and_pip():
    assert set(conda_packages()) == {"python", "pip"}, \
        "every Python package comes through pip, with pyproject.toml's pins"


def test_environment_yml_pip_pins_equal_pyproject_pins():
    assert environment_pip_pins() == pyproject_pins()
    required = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert required == f">={conda_packages()['python']}"


def test_environment_installs_the_project_itself_held_to_the_lock():
    pip = environment_pip_section()
    assert "-e ." in pip and "-c requirements.lock" in pip


def test_every_direct_dependency_is_pinned_exactly():
    for requirement in all_pyproject_requirements():
        assert "==" in requirement, f"{requirement} is not pinned"


def test_the_lock_holds_every_direct_pin_at_its_version():
    """A pin changed or a dependency added without `make lock` fails here."""
    lock = lock_pins()
    for requirement in all_pyproject_requirements():
        name, version = requirement.split("==")
        key = name.lower().replace("_", "-")
        assert lock.get(key) == version, \
            f"{requirement}: requirements.lock has {lock.get(key)!r}; run `make lock` and commit it"


def test_the_lock_is_a_whole_environment_not_only_the_direct_pins():
    lock = lock_pins()
    for transitive in ("jupyter-client", "nbformat", "pyzmq", "sphinx", "myst-nb", "pip"):
        assert transitive in lock, f"requirements.lock lacks {transitive}"
    assert "smartcity-kz-study" not in lock, "the project itself is installed editable, not locked"


def test_the_venv_installs_with_the_lock():
    makefile = (ROOT / "Makefile").read_text()
    stamp = makefile.split("$(STAMP): ", 1)[1].split("\n\n", 1)[0]
    assert "requirements.lock" in stamp.splitlines()[0], "rebuild the venv when the lock changes"
    assert "-r requirements.lock" in stamp
