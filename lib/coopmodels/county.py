"""The reference county: one imagined county that every chapter's model is set in.

Its numbers live here, once, so chapters agree with each other and the policy lab can
link the models on the same place. Each figure is a :class:`~coopmodels.params.Param`
with its source, so the assumptions register lists them with the model parameters.
Chapters add the figures they need (calls for service, ...) as they arrive.

Rates per resident come from national figures, so the county is an average county of its
size, not any real one. The U.S. population is here too: it scales the county's figures
up to the nation (the immigration courts, for instance, are one national queue).
"""

from __future__ import annotations

from coopmodels.params import ASSUMPTION, Param, ParamSet

COUNTY = ParamSet(
    Param(
        "population", "Residents", 1_000_000, 10_000, 10_000_000, 10_000, "people",
        ASSUMPTION,
        note="A large urban county, rounded so per-resident arithmetic stays readable.",
        integer=True, kind="teaching",
    ),
    Param(
        "jail_admissions_per_1000", "Jail bookings per 1,000 residents", 22.7, 5, 60, 0.1,
        "bookings per 1,000 residents per year", "bjs2024, census2023",
        note="7.6 million jail admissions from July 2022 to June 2023 {cite:p}`bjs2024` "
        "over 334.9 million residents {cite:p}`census2023`: 22.7 per 1,000; one person "
        "can be booked more than once.",
        kind="empirical", figure=22.7,
    ),
    Param(
        "violent_crimes_per_1000", "Violent victimisations reported to police", 9.7, 1,
        30, 0.1, "per 1,000 residents aged 12 or older per year", "bjs2023",
        note="9.7 per 1,000 in 2022: National Crime Victimization Survey, as summarised "
        "by the National Criminal Justice Association (secondary); used here per "
        "resident, for scale. Victimisations not reported to police are not counted here "
        "(see the reported share).",
        kind="empirical", figure=9.7,
    ),
    Param(
        "violent_reported_share", "Violent victimisations reported to police, share",
        0.42, 0.05, 1.0, 0.01, "share of violent victimisations", "bjs2023",
        note="\"In 2022, about 2 in 5 (42%) violent victimizations were reported to "
        "police\" {cite:p}`bjs2023`; 46% in 2021 and 40% in 2020. Divides reported "
        "victimisations to give all of them, reported or not.",
        kind="empirical", figure=0.42,
    ),
    Param(
        "us_population", "U.S. residents", 334_900_000, 300_000_000, 400_000_000, 100_000,
        "people", "census2023",
        note="Census Bureau estimate for July 2023, 334.9 million; scales county figures "
        "to the nation.",
        integer=True, kind="empirical", figure=334_900_000,
    ),
)
"""The reference county's figures (defaults are the reference county)."""


def reference_county() -> dict[str, float | int]:
    """The reference county's figures by name, at their defaults."""
    return COUNTY.defaults()


def jail_bookings_per_year(population: float, jail_admissions_per_1000: float) -> float:
    """Bookings into the county jail in a year: ``population / 1000 * rate``."""
    return population / 1000 * jail_admissions_per_1000


def violent_victimisations_per_year(population: float, violent_crimes_per_1000: float,
                                    violent_reported_share: float) -> dict[str, float]:
    """Violent victimisations in the county in a year [victimisations per year].

    ``reported = population / 1000 * violent_crimes_per_1000`` (reported to police) and
    ``all = reported / violent_reported_share`` (reported or not, as the NCVS counts them).
    """
    if not 0 < violent_reported_share <= 1:
        raise ValueError("violent_reported_share must be a number in (0, 1] (share of "
                         f"violent victimisations); got {violent_reported_share!r}")
    reported = population / 1000 * violent_crimes_per_1000
    return {"reported": reported, "all": reported / violent_reported_share}


def national_scale(population: float, us_population: float) -> float:
    """How many counties like this one make up the nation: ``us_population / population``."""
    return us_population / population
