"""Checks every registered model must pass; a new model is covered by registering it."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coopmodels import charts
from coopmodels.model import SERIES
from coopmodels.registry import all_models

from .conftest import toc_pages

MODELS = all_models()
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
    assert len(frame) > 0
    for view in model.views:
        assert frame[view.y.name].notna().all(), view.y.name


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
def test_any_slider_setting_gives_a_number_for_every_point_drawn(data):
    for model in MODELS.values():
        values = {name: data.draw(st.sampled_from(list(model.params[name].grid(50))),
                                  label=name).item()
                  for name in model.sliders}
        frame = model.run(**values)
        for view in model.views:
            assert not frame[view.y.name].isna().any(), (model.name, view.y.name, values)


def test_every_chart_panel_has_a_description_and_axis_titles_with_units(model):
    spec = charts.model_chart(model.run(), model.views, "description").to_dict()
    panels = spec["vconcat"]
    assert spec["description"]
    for panel, view in zip(panels, model.views, strict=True):
        assert panel["description"] == view.description and len(view.description) > 30
        assert panel["encoding"]["y"]["title"] == view.y.axis_title
        assert panel["encoding"]["x"]["title"] == view.x.axis_title


def test_parameters_have_sources_and_sensible_labels(model):
    for param in model.params.values():
        assert param.source and param.label and param.unit
        assert math.isfinite(param.default)
