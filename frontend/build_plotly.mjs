// Builds the plotly.js partial bundles MMmeter serves instead of plotly.py's full plotly.min.js
// (4.8 MB): only the trace types the app draws, from the pinned `plotly.js` npm package (the
// version plotly.py expects; tests/unit/test_plotly_bundle.py checks that), through its `lib/`
// trace modules, bundled and minified with the pinned esbuild. Same inputs, same bytes.
//
//   npm ci && node frontend/build_plotly.mjs
//
// Writes app/assets/plotly/plotly-mmmeter.min.js (bar, scatter, choropleth: every page),
// app/assets/plotly/plotly-mmmeter-map.min.js (the same plus choroplethmap, for a site with a
// basemap: MapLibre makes it twice as large) and app/assets/plotly/bundles.json (version and
// trace types of each bundle, read by the app and by the tests).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

import * as esbuild from "esbuild";

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const OUT = path.join(ROOT, "app", "assets", "plotly");
const plotlyPackage = JSON.parse(
  readFileSync(require.resolve("plotly.js/package.json"), "utf8"),
);
const VERSION = plotlyPackage.version;

// The trace types MMmeter draws (layouts/figures/*). `scatter` is part of plotly's core.
const BUNDLES = {
  "plotly-mmmeter": ["bar", "scatter", "choropleth"],
  "plotly-mmmeter-map": ["bar", "scatter", "choropleth", "choroplethmap"],
};

function entrySource(traces) {
  const modules = traces
    .filter((trace) => trace !== "scatter")
    .map((trace) => `  require("plotly.js/lib/${trace}"),`);
  return [
    'var Plotly = require("plotly.js/lib/core");',
    "Plotly.register([",
    ...modules,
    "]);",
    "module.exports = Plotly;",
    "",
  ].join("\n");
}

function banner(name, traces) {
  return [
    "/*!",
    ` * ${name}: plotly.js v${VERSION} partial bundle with the trace types ${traces.join(", ")}.`,
    ` * Built by frontend/build_plotly.mjs from the plotly.js npm package ${VERSION} (esbuild).`,
    " * plotly.js: Copyright 2012-2026, Plotly, Inc. Licensed under the MIT license",
    " * (see PLOTLY-LICENSE beside this file); bundled modules keep their licence comments.",
    " */",
  ].join("\n");
}

// plotly's registry requires MapLibre's stylesheet. The map bundle adds it to the page as
// plotly.js's own build does (a <style> written by the script); the bundle without maps drops it.
function stylesheets(withMaps) {
  return {
    name: "stylesheets",
    setup(build) {
      build.onLoad({ filter: /\.css$/ }, (args) => {
        if (!withMaps) {
          return { contents: "", loader: "js" };
        }
        const css = JSON.stringify(readFileSync(args.path, "utf8"));
        return {
          contents: `var s = document.createElement("style"); s.textContent = ${css};
document.head.appendChild(s);`,
          loader: "js",
        };
      });
    },
  };
}

async function build(name, traces) {
  const entry = path.join(ROOT, "frontend", `.${name}.entry.js`);
  writeFileSync(entry, entrySource(traces));
  try {
    await esbuild.build({
      entryPoints: [entry],
      outfile: path.join(OUT, `${name}.min.js`),
      bundle: true,
      minify: true,
      format: "iife",
      globalName: "Plotly",
      target: "es2016",
      // As plotly.js's own esbuild-config.js.
      alias: { regl: "@plotly/regl", stream: "stream-browserify" },
      define: { global: "window", "define.amd": "false", "process.env.NODE_DEBUG": "false" },
      banner: { js: banner(name, traces) },
      legalComments: "eof",
      plugins: [stylesheets(traces.includes("choroplethmap"))],
      logLevel: "warning",
    });
  } finally {
    rmSync(entry, { force: true });
  }
}

mkdirSync(OUT, { recursive: true });
for (const [name, traces] of Object.entries(BUNDLES)) {
  await build(name, traces);
}
writeFileSync(
  path.join(OUT, "PLOTLY-LICENSE"),
  readFileSync(require.resolve("plotly.js/LICENSE"), "utf8"),
);
const manifest = {
  plotly_js_version: VERSION,
  built_by: "frontend/build_plotly.mjs",
  bundles: Object.fromEntries(
    Object.entries(BUNDLES).map(([name, traces]) => [name, { file: `${name}.min.js`, traces }]),
  ),
};
writeFileSync(path.join(OUT, "bundles.json"), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`plotly.js ${VERSION}: ${Object.keys(BUNDLES).join(", ")} written to ${OUT}`);
