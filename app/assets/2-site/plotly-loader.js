/* plotly.js for the charts: Dash's Graph loads plotly.js when a page draws its first chart,
 * from window._dashPlotlyJSURL (which Dash's renderer would point at plotly.py's full 4.8 MB
 * plotly.min.js). Here it is the partial bundle named in <meta name="mmmeter-plotly">
 * (app/plotly_bundle.py): only the trace types MMmeter draws, at an address with its hash.
 * Pages without a chart load no plotly.js at all.
 */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="mmmeter-plotly"]');
  var src = meta && meta.getAttribute("content");
  if (!src) {
    return;
  }
  Object.defineProperty(window, "_dashPlotlyJSURL", {
    configurable: true,
    get: function () {
      return src;
    },
    set: function () {
      /* the renderer's own address is not used */
    },
  });
})();
