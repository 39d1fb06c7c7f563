"""Names of a package imported from its modules on first use (PEP 562), so that importing one light module of
the package does not load the heavy ones beside it.

    __getattr__ = lazy_names(__name__, globals(), {"ReviewSession": "session", ...})
"""

from __future__ import annotations

from importlib import import_module
from typing import Any, Callable


def lazy_names(package: str, namespace: dict[str, Any], where: dict[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: a name of ``where`` is taken from its module
    (``package.<module>``) when first asked for and kept in ``namespace``; any other name is an AttributeError."""

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f"{package}.{module}"), name)
        namespace[name] = value
        return value

    return __getattr__
