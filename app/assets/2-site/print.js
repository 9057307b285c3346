// Before the browser prints a page, redraw its charts for the width of the paper (the print
// stylesheet makes their boxes page-wide); after printing, for the screen again.
(function () {
  function resizeCharts() {
    if (!window.Plotly || !window.Plotly.Plots) {
      return;
    }
    document.querySelectorAll(".js-plotly-plot").forEach(function (graph) {
      window.Plotly.Plots.resize(graph);
    });
  }
  window.addEventListener("beforeprint", resizeCharts);
  window.addEventListener("afterprint", resizeCharts);
})();
