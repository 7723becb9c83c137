// Safeboard's page script: starts GOV.UK and MoJ components, re-starts them on content that
// htmx swaps in, and renders Vega-Lite charts. Loaded as a module: no inline script anywhere,
// so the Content-Security-Policy can forbid inline scripts.
import { initAll as initGovuk } from "./govuk-frontend.min.js";
import { initAll as initMoj } from "./moj-frontend.min.js";

document.body.classList.add("govuk-frontend-supported", "js-enabled");

function renderCharts(scope) {
  if (!window.vegaEmbed) return;
  scope.querySelectorAll("[data-vega-spec]").forEach((el) => {
    if (el.dataset.rendered) return;
    const source = document.getElementById(el.dataset.vegaSpec);
    if (!source) return;
    el.dataset.rendered = "1";
    const spec = JSON.parse(source.textContent);
    window
      .vegaEmbed(el, spec, {
        renderer: "svg",
        actions: false,
        defaultStyle: false,
        // Interpret expressions instead of compiling them: no 'unsafe-eval' needed.
        ast: true,
        expr: window.vegaInterpreter ? window.vegaInterpreter.expressionInterpreter : undefined,
        // The tooltip's own <style> element would break the CSP: its styles are in ours.
        tooltip: { disableDefaultStyle: true },
      })
      .catch((err) => {
        el.textContent = "The chart could not be drawn. The figures are in the table on this page.";
        console.error(err);
      });
  });
}

function start(scope) {
  initGovuk({ scope });
  initMoj({ scope });
  renderCharts(scope);
}

start(document);
document.body.addEventListener("htmx:afterSettle", (event) => {
  if (event.target instanceof Element) start(event.target);
});

// Buttons that ask for confirmation before a destructive POST (no inline onclick).
document.addEventListener("submit", (event) => {
  const message = event.target.dataset ? event.target.dataset.confirm : null;
  if (message && !window.confirm(message)) event.preventDefault();
});
