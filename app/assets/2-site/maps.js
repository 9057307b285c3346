/* Maps (layouts/figures/choropleth.py): two things Plotly and Dash do not give by themselves.
 *
 * - Offline: Plotly's geo maps (go.Choropleth) fetch a world outline from cdn.plot.ly before
 *   drawing, even when every base layer is hidden and only our own GeoJSON is drawn. Our maps
 *   show no coastlines or countries, so an empty outline is all Plotly needs; registering it
 *   here means no request leaves the site (and no console error without internet).
 * - "No data" hatching: areas without data get a neutral grey from the map; maps.css fills
 *   them with the hatch pattern defined here (CSS can only point at a pattern in the page).
 */
(function () {
  "use strict";
  var layers = ["coastlines", "land", "ocean", "lakes", "rivers", "countries", "subunits"];
  var empty = { type: "Topology", objects: {}, arcs: [] };
  layers.forEach(function (name) {
    empty.objects[name] = { type: "GeometryCollection", geometries: [] };
  });
  var assets = (window.PlotlyGeoAssets = window.PlotlyGeoAssets || {});
  assets.topojson = assets.topojson || {};
  ["world_110m", "world_50m"].forEach(function (name) {
    if (!assets.topojson[name]) {
      assets.topojson[name] = empty;
    }
  });

  var SVG = "http://www.w3.org/2000/svg";
  function addHatch() {
    if (document.getElementById("mm-no-data-hatch")) {
      return;
    }
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "0");
    svg.setAttribute("height", "0");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.style.position = "absolute";
    var pattern = document.createElementNS(SVG, "pattern");
    pattern.setAttribute("id", "mm-no-data-hatch");
    pattern.setAttribute("patternUnits", "userSpaceOnUse");
    pattern.setAttribute("width", "6");
    pattern.setAttribute("height", "6");
    pattern.setAttribute("patternTransform", "rotate(45)");
    var ground = document.createElementNS(SVG, "rect");
    ground.setAttribute("width", "6");
    ground.setAttribute("height", "6");
    ground.setAttribute("fill", "#c8c8c8");
    var line = document.createElementNS(SVG, "line");
    line.setAttribute("x1", "1");
    line.setAttribute("y1", "0");
    line.setAttribute("x2", "1");
    line.setAttribute("y2", "6");
    line.setAttribute("stroke", "#636363");
    line.setAttribute("stroke-width", "1.5");
    pattern.appendChild(ground);
    pattern.appendChild(line);
    var defs = document.createElementNS(SVG, "defs");
    defs.appendChild(pattern);
    svg.appendChild(defs);
    document.body.appendChild(svg);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", addHatch);
  } else {
    addHatch();
  }
})();
