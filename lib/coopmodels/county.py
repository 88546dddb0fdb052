"""The reference county: one imagined county that every chapter's model is set in.

Its numbers live here, once, so chapters agree with each other and the policy lab can
link the models on the same place. Each figure is a :class:`~coopmodels.params.Param`
with its source, so the assumptions register lists them with the model parameters.
Chapters add the figures they need (bookings, calls for service, ...) as they arrive.

The immigration courts are national: a case from this county joins the one national
queue of :mod:`coopmodels.backlog`, so the court chapter uses the county only to show
the difference in scale between one county's cases and the national caseload.
"""

from __future__ import annotations

from coopmodels.params import ASSUMPTION, Param, ParamSet

COUNTY = ParamSet(
    Param(
        "population", "Residents", 1_000_000, 10_000, 10_000_000, 10_000, "people",
        ASSUMPTION,
        note="A large urban county, rounded so per-resident arithmetic stays readable.",
        integer=True,
    ),
)
"""The reference county's figures (defaults are the reference county)."""


def reference_county() -> dict[str, float | int]:
    """The reference county's figures by name, at their defaults."""
    return COUNTY.defaults()

