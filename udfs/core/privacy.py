"""Customer-identifier masking: keep the last 4 characters (SPEC section 9)."""

from __future__ import annotations

from typing import Any

KEEP = 4


def mask_id(value: Any) -> str | None:
    """``13800138000`` -> ``*******8000``; ids of 4 characters or fewer are fully masked."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = str(value).strip()
    if not s:
        return None
    if len(s) <= KEEP:
        return "*" * len(s)
    return "*" * (len(s) - KEEP) + s[-KEEP:]
