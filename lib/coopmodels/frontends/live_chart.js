// The explorer's chart in Jupyter (an anywidget front end; Python side: jupyter.py).
//
// The kernel runs the model and sends the chart's data; this draws it with Vega, in the
// browser, so a slider drag repaints the chart continuously with no image sent back.
//
// * Vega comes from the kernel, not from the network: one VegaBundle model per kernel
//   holds vl-convert's Vega / Vega-Lite / Vega-Embed bundle (about 0.9 MB). The first
//   chart on the page evaluates it once; every later chart reuses it.
// * `spec` is the chart without data; `values` are the rows of the named dataset
//   `data_name`. A new `values` updates the drawn view (view.data(...).run()), which is
//   far quicker than drawing anew; a new `spec` (other series, say) draws it anew.
// * Updates that arrive while a drawing is in progress are coalesced: the chart then
//   draws only the newest data. (ipywidgets already sends at most one slider value per
//   kernel round trip, so a drag never builds a queue.)
// * After each repaint the element fires a `coop-paint` event whose detail says which
//   control values the drawing shows (`drawn`), when they arrived from the kernel
//   (`received`) and when the chart was painted (`painted`); the JupyterLab test and
//   benchmark listen to it.

const EMBED_OPTIONS = { actions: false, renderer: "svg" };

function nextFrame() {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

// vegaEmbed, loaded once per page from the kernel's VegaBundle model.
function loadVega(model) {
  if (!globalThis.__coopVegaEmbed) {
    globalThis.__coopVegaEmbed = (async () => {
      if (globalThis.vegaEmbed) return globalThis.vegaEmbed; // e.g. a second kernel
      const ref = String(model.get("_bundle") || "").replace(/^IPY_MODEL_/, "");
      const holder = await model.widget_manager.get_model(ref);
      const source = new TextDecoder().decode(holder.get("source"));
      // The bundle is a classic script that ends by setting window.vegaEmbed (and vega,
      // vegaLite); a Function body runs it at global scope with its constants kept local.
      new Function(source)();
      if (!globalThis.vegaEmbed) throw new Error("the Vega bundle did not define vegaEmbed");
      return globalThis.vegaEmbed;
    })();
    globalThis.__coopVegaEmbed.catch(() => { globalThis.__coopVegaEmbed = undefined; });
  }
  return globalThis.__coopVegaEmbed;
}

async function render({ model, el }) {
  el.classList.add("coop-lab-chart");
  const box = document.createElement("div");
  box.className = "coop-lab-chart-view";
  el.appendChild(box);
  let embed;
  try {
    embed = await loadVega(model);
  } catch (error) {
    box.textContent = `The chart could not be drawn: ${error}`;
    throw error;
  }
  let result = null;
  let shownSpec = null;
  let drawing = false;
  let pending = false;
  let received = performance.now();

  async function draw() {
    if (drawing) {
      pending = true;
      return;
    }
    drawing = true;
    try {
      do {
        pending = false;
        const spec = model.get("spec");
        const name = model.get("data_name");
        const values = model.get("values");
        const drawn = model.get("drawn");
        const arrived = received;
        if (result === null || spec !== shownSpec) {
          if (result !== null) result.finalize();
          // The first values go into the spec itself, so the first drawing has data.
          result = await embed(box, { ...spec, datasets: { [name]: values } }, EMBED_OPTIONS);
          shownSpec = spec;
        } else {
          await result.view.data(name, values).runAsync();
        }
        await nextFrame();
        el.dataset.drawn = JSON.stringify(drawn);
        el.dispatchEvent(new CustomEvent("coop-paint", {
          bubbles: true, detail: { drawn, painted: performance.now(), received: arrived },
        }));
      } while (pending);
    } finally {
      drawing = false;
    }
  }

  // New spec and values arrive together (one message): draw once for both.
  let scheduled = false;
  function schedule() {
    received = performance.now();
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      draw();
    });
  }

  // `drawn` alone changes when new control values give the same data (the chart then
  // already shows them): repaint all the same, so the paint reports them.
  model.on("change:values", schedule);
  model.on("change:spec", schedule);
  model.on("change:drawn", schedule);
  await draw();
  return () => {
    model.off("change:values", schedule);
    model.off("change:spec", schedule);
    model.off("change:drawn", schedule);
    if (result !== null) result.finalize();
  };
}

export default { render };
