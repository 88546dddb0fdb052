"""The mechanism that keeps the text true to the models, shown to bite.

Each chapter checks the words it states about computed results with ``prose.claim``
(rankings, directions, "never"). Here an assumption is changed so that one such sentence
stops holding; the chapter is run as the build runs it, and the run must fail with a
:class:`~coopmodels.prose.ClaimError` that quotes the sentence.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

BOOK = Path(__file__).resolve().parents[1] / "book"

# chapter -> (code run before the chapter's first cell, words of the sentence that flips)
MUTATIONS = {
    "07_court_backlog": (
        # A default changed: new cases far below capacity, so the backlog shrinks.
        "import dataclasses\n"
        "from coopmodels import backlog\n"
        "receipts = backlog.PARAMS['baseline_receipts']\n"
        "backlog.PARAMS._params['baseline_receipts'] = dataclasses.replace(\n"
        "    receipts, default=500_000)\n",
        "the backlog grows every year at the defaults",
    ),
    "08_safeguards_lab": (
        # A range changed: the years of stay known almost exactly, so it no longer ranks first.
        "from coopmodels import sensitivity\n"
        "(years,) = [u for u in sensitivity.UNCERTAIN if u.name == 'years_in_county']\n"
        "middle = round((years.low + years.high) / 2)\n"
        "object.__setattr__(years, 'low', middle)\n"
        "object.__setattr__(years, 'high', middle + 1)  # whole years\n",
        "the years a removed person would have stayed rank first for offences averted",
    ),
}


@pytest.mark.parametrize("chapter", list(MUTATIONS))
def test_a_changed_assumption_fails_the_run_naming_the_sentence(chapter):
    patch, sentence = MUTATIONS[chapter]
    notebook = nbformat.read(BOOK / f"{chapter}.ipynb", as_version=4)
    assert any(sentence in "".join(cell.source) for cell in notebook.cells), \
        f"{chapter} no longer states {sentence!r}: choose another sentence"
    notebook.cells.insert(0, nbformat.v4.new_code_cell(patch))
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(BOOK)}})
    with pytest.raises(CellExecutionError) as failure:
        client.execute()
    message = str(failure.value)
    assert "ClaimError" in message
    assert sentence in message
