"""Terrain: build, check, print, pack and translate the curriculum."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("terrain")  # pyproject.toml's, as installed by `make setup`
except PackageNotFoundError:  # run from a checkout that was never installed
    __version__ = "0.0.0"
