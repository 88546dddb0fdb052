"""Generated text: the assumptions register and parameter tables cannot drift from the code."""

from __future__ import annotations

import numpy as np
import pytest

from coopmodels import policy
from coopmodels.params import ASSUMPTION, Param, ParamSet
from coopmodels.prose import (
    ALL_PARAMETER_COLUMNS,
    assumptions_register,
    parameter_table,
    plain_number,
    register_table,
)
from coopmodels.registry import all_models


def table_rows(markdown: str) -> list[list[str]]:
    """Body rows of a one-line-per-row Markdown table, split into cells."""
    lines = markdown.strip().splitlines()[2:]
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines]


def test_register_lists_every_model_parameter_once_under_its_chapter():
    register = assumptions_register()
    ids = [id(row["param"]) for row in register]
    assert len(ids) == len(set(ids))
    chapters_of = {id(row["param"]): row["chapters"] for row in register}
    for model in all_models().values():
        for param in model.params.values():
            assert id(param) in chapters_of, f"{model.name}.{param.name} not in the register"
            assert model.chapter in chapters_of[id(param)]


def test_register_table_has_one_row_per_parameter_with_its_source():
    register = assumptions_register()
    rows = table_rows(register_table())
    assert len(rows) == len(register)
    for row, entry in zip(rows, register, strict=True):
        param = entry["param"]
        assert len(row) == len(ALL_PARAMETER_COLUMNS) + 1
        assert row[1] == f"`{param.name}`"
        source = row[ALL_PARAMETER_COLUMNS.index("Source")]
        if param.source == ASSUMPTION:
            assert source == "assumption"
        else:
            assert all(key in source for key in param.citation_keys)


def test_parameter_table_columns_codes_and_escaped_notes():
    params = ParamSet(
        Param("switch", "A switch", 1, 0, 1, 1, "0 = off, 1 = on", ASSUMPTION,
              note="Either | or.", integer=True),
        Param("rate", "A rate", 0.5, 0, 1, 0.1, "share", "trac2013"),
    )
    rows = table_rows(parameter_table(params, columns=("Name", "Default", "Source",
                                                       "How the default was chosen")))
    assert rows == [["`switch`", "1 = on", "assumption", "Either \\| or."],
                    ["`rate`", "0.5 share", "{cite:p}`trac2013`", ""]]
    assert len(table_rows(parameter_table(policy.LEVERS))) == len(policy.LEVERS)


@pytest.mark.parametrize("value", [np.float64(2.5), np.int64(3), np.array(4.0), 7])
def test_plain_number_turns_numpy_values_into_python_numbers(value):
    number = plain_number(value)
    assert type(number) in (int, float) and number == float(np.asarray(value))


@pytest.mark.parametrize("value", [True, "3", None, np.array([1.0, 2.0])])
def test_plain_number_rejects_what_glue_cannot_format(value):
    with pytest.raises(ValueError, match="glue needs a number"):
        plain_number(value)


def test_text_formats_each_value_once_and_shows_it_without_quotes():
    from coopmodels.prose import Text

    txt = Text(glue=False)
    txt.numbers(",.0f", capacity=np.float64(704640.4))
    txt.words(top="Years a removed person would have stayed")
    assert txt.capacity == "704,640" and repr(txt.capacity) == "704,640"
    assert repr(txt.top) == "Years a removed person would have stayed"
    with pytest.raises(ValueError, match="already set"):
        txt.numbers(".1f", capacity=1)
    with pytest.raises(AttributeError, match="no value 'missing'"):
        _ = txt.missing
    with pytest.raises(ValueError, match="glue needs a number"):
        txt.numbers(".1f", bad=np.array([1.0, 2.0]))


def test_claim_quotes_the_sentence_that_no_longer_holds():
    from coopmodels.prose import ClaimError, claim

    claim("reported crime falls slightly", -7.1 < 0)
    with pytest.raises(ClaimError, match=r"'reported crime falls slightly'.*change -7\.1%"):
        claim("reported crime falls slightly", False, because="change -7.1%")


def test_sourcing_counts_each_empirical_default_with_a_published_figure():
    from coopmodels.prose import is_sourced, sourcing_by_chapter

    table = sourcing_by_chapter()
    register = assumptions_register()
    whole = table.loc["Whole book"]
    assert whole["parameters"] == len(register)
    empirical = [row["param"] for row in register if row["param"].kind == "empirical"]
    assert whole["empirical"] == len(empirical)
    assert whole["sourced"] == sum(map(is_sourced, empirical))
    per_kind = whole[["empirical", "policy", "teaching", "display"]].sum()
    assert per_kind == sum(row["param"].kind != "" for row in register)
    chapters = table.drop(index="Whole book")
    assert (chapters["sourced"] <= chapters["empirical"]).all()


def test_a_cited_assumption_or_a_figure_without_a_source_is_not_sourced():
    from coopmodels.prose import is_sourced

    cited = Param("rate", "A rate", 0.4, 0, 1, 0.1, "share", "trac2016", kind="empirical",
                  note="fewer than 40% (0.4)", figure=0.4)
    assert is_sourced(cited)
    assert not is_sourced(Param("rate", "A rate", 0.4, 0, 1, 0.1, "share", "trac2016",
                                kind="empirical"))
    assert not is_sourced(Param("rate", "A rate", 0.4, 0, 1, 0.1, "share", ASSUMPTION,
                                kind="empirical", note="why"))


@pytest.mark.parametrize(("label", "shown"), [
    ("Detainers that end in ICE custody", "detainers that end in ICE custody"),
    ("ICE reimbursement", "ICE reimbursement"), ("A", "a"),
    ("287(g) task force", "287(g) task force")])
def test_labels_read_inside_a_sentence(label, shown):
    from coopmodels.prose import in_sentence

    assert in_sentence(label) == shown
