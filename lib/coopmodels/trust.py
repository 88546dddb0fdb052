"""Trust and the willingness of victims and witnesses to come forward.

Community trust T in [0, 1] (1 = the trust there would be without cooperation) recovers
toward 1 at rate rho and is eroded by visible enforcement in proportion to the level of
cooperation c in [0, 1]:

    dT/dt = rho * (1 - T) - rho * k * c * T

Its long-run (steady) state, where dT/dt = 0, is

    T*(c) = 1 / (1 + k * c),

independent of rho. Reporting is taken to be proportional to trust, so T*(c) is also the
factor by which victims and witnesses report less in the long run. The constant k is set
by the drop in reporting at full cooperation, d = 1 - T*(1):  k = d / (1 - d).

The trust chapter builds its dynamics on this equation; its long-run state must equal
:func:`reporting_multiplier`.
"""

from __future__ import annotations

import numpy as np

from coopmodels.params import Param

REPORTING_DROP = Param(
    "reporting_drop", "Drop in reporting at full cooperation", 0.3, 0.0, 0.9, 0.01,
    "share of reports lost", "goncalves2024",
    note="Hispanic residents were about 30% less likely to report crimes to police after "
    "Secure Communities began.",
)
"""The chilling effect at full cooperation, shared by every model that needs it."""


def erosion_ratio(reporting_drop: float) -> float:
    """k in ``T* = 1 / (1 + k c)``: erosion relative to recovery, ``d / (1 - d)``."""
    REPORTING_DROP.validate(reporting_drop)
    return reporting_drop / (1.0 - reporting_drop)


def reporting_multiplier(cooperation: float | np.ndarray, reporting_drop: float
                         ) -> float | np.ndarray:
    """Long-run reporting relative to no cooperation: ``1 / (1 + k * cooperation)``.

    Equals 1 at ``cooperation = 0`` and ``1 - reporting_drop`` at ``cooperation = 1``;
    decreasing and convex in between.
    """
    cooperation = np.asarray(cooperation, dtype=float)
    if np.isnan(cooperation).any() or (cooperation < 0).any() or (cooperation > 1).any():
        raise ValueError(f"cooperation must be in [0, 1] (level); got {cooperation!r}")
    return 1.0 / (1.0 + erosion_ratio(reporting_drop) * cooperation)
