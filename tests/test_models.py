"""Checks every registered model must pass; a new model is covered by registering it."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coopmodels import charts
from coopmodels.model import SERIES
from coopmodels.registry import all_models

from .conftest import toc_pages

MODELS = all_models()
Y_TITLE_LIMIT = 36  # characters that fit along a panel's height
MODEL_IDS = list(MODELS)


def test_some_models_are_registered():
    assert "court_backlog" in MODELS


@pytest.fixture(params=MODEL_IDS)
def model(request):
    return MODELS[request.param]


def test_model_belongs_to_a_chapter_in_the_table_of_contents(model):
    assert model.chapter.removesuffix(".ipynb") in toc_pages()


def test_default_run_gives_every_view_column(model):
    frame = model.run()
    needed = {SERIES} | {f.name for v in model.views for f in (v.x, v.y)}
    assert needed <= set(frame.columns)
    for view in model.views:
        assert len(charts.panel_rows(frame, view)) > 0, f"{view.y.name}: nothing to draw"


def test_sliders_are_declared_parameters(model):
    assert model.sliders and set(model.sliders) <= set(model.params)


MODEL_PARAMS = [(m, p) for m in MODELS for p in MODELS[m].params]


@pytest.mark.parametrize(("model_name", "param_name"), MODEL_PARAMS)
def test_every_parameter_rejects_bad_input_naming_itself(model_name, param_name):
    model = MODELS[model_name]
    param = model.params[param_name]
    for bad in [float("nan"), "1", None, param.min - param.step, param.max + param.step]:
        with pytest.raises(ValueError, match=param.name) as error:
            model.run(**{param.name: bad})
        message = str(error.value)
        assert param.name in message and param.range_text() in message and repr(bad) in message


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_any_slider_setting_draws_only_finite_numbers(data):
    for model in MODELS.values():
        values = {name: data.draw(st.sampled_from(list(model.params[name].grid(50))),
                                  label=name).item()
                  for name in model.sliders}
        frame = model.run(**values)
        for view in model.views:
            drawn = charts.panel_rows(frame, view)[view.y.name].to_numpy(float)
            assert np.isfinite(drawn).all(), (model.name, view.y.name, values)


def test_every_chart_panel_has_a_description_and_axis_titles_with_units(model):
    spec = charts.model_chart(model.run(), model.views, "description",
                              values=model.params.defaults(), params=model.params).to_dict()
    panels = spec["vconcat"]
    assert spec["description"]
    for panel, view in zip(panels, model.views, strict=True):
        assert panel["description"] == view.description and len(view.description) > 30
        titles = axis_titles(panel)  # (bar panels are horizontal: y on the x axis)
        assert titles[view.y.name] == view.y.axis_title
        assert titles[view.x.name] == view.x.axis_title
        assert len(view.y.axis_title) <= Y_TITLE_LIMIT, "a longer title overflows the panel"


def axis_titles(node: dict) -> dict[str, str]:
    """The first line of each field's axis title, from every layer of a chart panel."""
    titles = {}
    for layer in [node, *node.get("layer", [])]:
        if "layer" in layer and layer is not node:
            titles |= axis_titles(layer)
        for channel in ("x", "y"):
            encoding = layer.get("encoding", {}).get(channel)
            if encoding and "title" in encoding:
                title = encoding["title"]
                titles.setdefault(encoding["field"], title[0] if isinstance(title, list)
                                  else title)
    return titles


def test_parameters_have_sources_and_sensible_labels(model):
    for param in model.params.values():
        assert param.source and param.label and param.unit
        assert math.isfinite(param.default)
