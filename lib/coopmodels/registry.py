"""Find every model in the package, so tests, benchmarks and the register need no list.

A module takes part by defining ``MODEL`` (one :class:`~coopmodels.model.Model`) or
``MODELS`` (a tuple of them). Adding a module is enough; nothing here changes.
"""

from __future__ import annotations

import importlib
import pkgutil

import coopmodels
from coopmodels.model import Model


def all_models() -> dict[str, Model]:
    """Every registered model in the package, by name, in module order."""
    models: dict[str, Model] = {}
    for info in sorted(pkgutil.iter_modules(coopmodels.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"coopmodels.{info.name}")
        found = getattr(module, "MODELS", ())
        if isinstance(getattr(module, "MODEL", None), Model):
            found = (module.MODEL, *found)
        for model in found:
            if model.name in models:
                raise ValueError(f"two models are named {model.name!r}")
            models[model.name] = model
    return models


def get_model(name: str) -> Model:
    """The registered model called ``name``."""
    models = all_models()
    if name not in models:
        raise ValueError(f"no model named {name!r}; known: {', '.join(models)}")
    return models[name]
