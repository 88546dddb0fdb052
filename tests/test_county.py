"""The reference county: its figures, and the conversions chapters rely on."""

from __future__ import annotations

import pytest

from coopmodels import county


def test_bookings_follow_the_national_rate():
    place = county.reference_county()
    bookings = county.jail_bookings_per_year(place["population"],
                                             place["jail_admissions_per_1000"])
    assert bookings == pytest.approx(22_700)
    assert place["jail_admissions_per_1000"] == pytest.approx(7.6e6 / 334.9e6 * 1000, abs=0.05)


def test_all_victimisations_are_the_reported_ones_over_the_reported_share():
    place = county.reference_county()
    counts = county.violent_victimisations_per_year(
        place["population"], place["violent_crimes_per_1000"], place["violent_reported_share"])
    assert counts["reported"] == pytest.approx(9_700)
    assert counts["all"] == pytest.approx(9_700 / 0.42)
    assert counts["all"] > counts["reported"]


def test_a_reported_share_of_zero_is_rejected_with_its_name():
    with pytest.raises(ValueError, match="violent_reported_share must be a number in"):
        county.violent_victimisations_per_year(1_000, 10, 0.0)


def test_national_scale():
    assert county.national_scale(1_000_000, 334_900_000) == pytest.approx(334.9)
