"""Executable models of cooperation between ICE and state and local law enforcement.

Model modules (one per argument of the book) hold plain numpy functions and register a
:class:`~coopmodels.model.Model`; :mod:`coopmodels.charts` draws them in the book's one
visual language and :func:`coopmodels.explore.explore` makes any of them interactive.
"""

__version__ = "0.1.0"
