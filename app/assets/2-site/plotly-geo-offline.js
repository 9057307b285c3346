/* Maps work offline: Plotly's geo maps (go.Choropleth) fetch a world outline from
 * cdn.plot.ly before drawing, even when the map hides every base layer and draws only our own
 * GeoJSON. Our maps show no coastlines, countries or land, so an empty outline is all Plotly
 * needs: registering it here means no request leaves the site (and no console error offline).
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
})();
