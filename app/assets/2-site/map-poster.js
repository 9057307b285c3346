/* A map's poster (layouts/figures/map_poster.py) acts as the map until plotly.js has drawn it
 * (app/assets/2-site/plotly-loader.js loads plotly.js on the reader's first use of the page).
 *
 * - A tap or click on an area of the poster is the map's click on that area: the graph's
 *   clickData gets the area's code as plotly.js would give it (`points[0].location`), so the
 *   page opens the area, or selects it, as it does for a click on the interactive map.
 * - A control changed before plotly.js has drawn (a radio, checkbox, range or select) may change
 *   the figure Dash holds: the posters are dimmed until the interactive map replaces them, and
 *   plotly.js is loaded (a screen reader or voice control changes a control without a key or
 *   pointer event).
 */
(function () {
  "use strict";
  var POSTER = ".mm-map-poster";
  var CONTROL = 'input[type="radio"], input[type="checkbox"], input[type="range"], select';

  function graphOf(poster) {
    var box = poster.closest(".mm-graph-box");
    var graph = box && box.querySelector(".dash-graph[id]");
    if (!graph) {
      return null;
    }
    var id = graph.id;
    // a pattern-matching id is written as its JSON
    return id.charAt(0) === "{" ? JSON.parse(id) : id;
  }

  document.addEventListener("click", function (event) {
    var area = event.target instanceof Element ? event.target.closest("path[data-code]") : null;
    var poster = area && area.closest(POSTER);
    var clientside = window.dash_clientside;
    if (!poster || poster.hidden || !clientside || !clientside.set_props) {
      return;
    }
    var graph = graphOf(poster);
    if (graph !== null) {
      clientside.set_props(graph, {
        clickData: { points: [{ location: area.getAttribute("data-code") }] },
      });
    }
  });

  document.addEventListener(
    "change",
    function (event) {
      if (!(event.target instanceof Element) || !event.target.matches(CONTROL)) {
        return;
      }
      document.querySelectorAll(POSTER).forEach(function (poster) {
        poster.classList.add("mm-poster-stale");
      });
      if (window.mmmeterPlotly && document.querySelector(POSTER)) {
        window.mmmeterPlotly.load();
      }
    },
    true
  );
})();
