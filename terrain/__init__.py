"""Terrain: build, check, print, pack and translate the curriculum."""

__version__ = "0.1.0"
