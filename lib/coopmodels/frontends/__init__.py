"""How an explorer is shown: one module per medium.

* :mod:`~coopmodels.frontends.page` — the built book: a Vega-Lite chart whose bound
  sliders pick precomputed scenarios (no kernel, no network);
* :mod:`~coopmodels.frontends.jupyter` — Jupyter: controls that re-run the model and a
  chart the browser redraws (its browser side: ``live_chart.js``, next to it).

:mod:`coopmodels.explore` decides *what* an explorer shows (sliders, grids, precomputed
scenarios); these modules decide *how* each medium shows it. The browser side of the
page view is ``book/_static/coopbook.js``.
"""
