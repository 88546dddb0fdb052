"""Hypothesis strategies shared by the model tests."""

from __future__ import annotations

from hypothesis import strategies as st

from coopmodels.params import Param, ParamSet


def param_values(param: Param) -> st.SearchStrategy:
    """Any valid value of a parameter (whole numbers for integer parameters)."""
    if param.integer:
        return st.integers(int(param.min), int(param.max))
    return st.floats(param.min, param.max, allow_nan=False)


def settings_of(params: ParamSet) -> st.SearchStrategy:
    """A valid value for every parameter of a set, drawn independently."""
    return st.fixed_dictionaries({name: param_values(p) for name, p in params.items()})
