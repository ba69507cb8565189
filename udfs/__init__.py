"""CSQ: the Excel functions (``udfs.functions``) and the calculation core (``udfs.core``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .core.version import __version__

__all__ = ["FUNCTIONS", "__version__"]

if TYPE_CHECKING:
    from collections.abc import Callable


def __getattr__(name: str) -> Any:
    # The mapping lives in udfs.functions (which imports xlwings); load it on first use so
    # that ``import udfs.core`` stays free of xlwings.
    if name == "FUNCTIONS":
        from .functions import FUNCTIONS

        return FUNCTIONS
    raise AttributeError(name)


FUNCTIONS: dict[str, Callable[..., Any]]
