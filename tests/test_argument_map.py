"""The argument map: paths along its arrows and their signs."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopmodels import argument_map
from coopmodels.argument_map import EDGES, NODES

KEYS = [node.key for node in NODES]
LABEL = {node.key: node.label for node in NODES}
SIGN = {(edge.source, edge.target): edge.sign for edge in EDGES}
KEY_OF = {node.label: node.key for node in NODES}


def test_paths_from_cooperation_to_crime_worked_by_hand():
    found = argument_map.paths("cooperation", "crime")
    assert dict(zip(found["path"], found["sign"], strict=True)) == {
        "Cooperation with ICE → People identified and removed → Crime and victimisation": "-",
        "Cooperation with ICE → Community trust → Crimes reported and solved → "
        "Crime and victimisation": "+",
        "Cooperation with ICE → Federal expertise → Crimes reported and solved → "
        "Crime and victimisation": "-",
        "Cooperation with ICE → Risk of profiling → Community trust → Crimes reported and "
        "solved → Crime and victimisation": "+",
    }


@given(st.sampled_from(KEYS), st.sampled_from(KEYS))
def test_every_path_follows_arrows_visits_no_node_twice_and_multiplies_signs(source, target):
    for path, sign in zip(*(argument_map.paths(source, target)[c] for c in ("path", "sign")),
                          strict=True):
        keys = [KEY_OF[label] for label in path.split(" → ")]
        assert keys[0] == source and keys[-1] == target
        assert len(set(keys)) == len(keys) or (source == target and keys[0] == keys[-1])
        negatives = sum(SIGN[pair] == "-" for pair in itertools.pairwise(keys))
        assert sign == ("-" if negatives % 2 else "+")


def test_unknown_node_is_named():
    with pytest.raises(ValueError, match=r"target must be one of .*; got 'weather'"):
        argument_map.paths("cooperation", "weather")
