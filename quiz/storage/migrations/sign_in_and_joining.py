"""Migrations 0010-0014: the sign-in throttle, nickname look-alikes, joining controls,
rate windows and the nickname word list (issue 13).

Landed migrations: never edit one (see the package docstring).
"""

from __future__ import annotations
