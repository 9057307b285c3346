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
//
// A bundle evaluates plotly.js in steps, not in one go: evaluating it took one task of about
// 360 ms on a phone (Lighthouse's 4x slowdown), all of it Total Blocking Time. The bundle
// defines `mmmeterPlotlySteps`, a list of functions that each initialise a share of plotly's
// modules (leaves first, in the order of esbuild's module graph; a dependency cycle as a whole,
// from the module plotly itself requires first); app/assets/2-site/plotly-loader.js calls them
// one per task and takes the last one's result as window.Plotly.
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

const STEPS = 16; // about equal shares of the modules' source bytes

function registration(traces) {
  const modules = traces
    .filter((trace) => trace !== "scatter")
    .map((trace) => `    require("plotly.js/lib/${trace}"),`);
  return [
    '  var Plotly = require("plotly.js/lib/core");',
    "  Plotly.register([",
    ...modules,
    "  ]);",
    "  return Plotly;",
  ].join("\n");
}

// The modules in the order they can be initialised, leaves first: Tarjan's strongly connected
// components of the import graph come out dependencies first. Each component (a cycle, or one
// module) is initialised through its first-visited module, the one its importer reaches first,
// so a cycle starts where it would without steps.
function initialisationOrder(inputs, entry) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const order = [];
  let counter = 0;
  function visit(node) {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const imported of inputs[node]?.imports ?? []) {
      const next = imported.path;
      if (!(next in inputs)) {
        continue;
      }
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node), index.get(next)));
      }
    }
    if (low.get(node) === index.get(node)) {
      let bytes = 0;
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        bytes += inputs[member].bytes;
      } while (member !== node);
      order.push({ module: node, bytes });
    }
  }
  visit(entry);
  return order.filter((component) => component.module !== entry);
}

function steppedEntry(order, traces) {
  const total = order.reduce((sum, component) => sum + component.bytes, 0);
  const steps = [];
  let current = [];
  let bytes = 0;
  for (const component of order) {
    current.push(`  require(${JSON.stringify(path.join(ROOT, component.module))});`);
    bytes += component.bytes;
    if (bytes >= total / STEPS) {
      steps.push(current.join("\n"));
      current = [];
      bytes = 0;
    }
  }
  if (current.length) {
    steps.push(current.join("\n"));
  }
  steps.push(registration(traces));
  return `module.exports = [\n${steps.map((body) => `function () {\n${body}\n}`).join(",\n")}\n];\n`;
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
  const options = {
    absWorkingDir: ROOT,
    bundle: true,
    format: "iife",
    target: "es2016",
    // As plotly.js's own esbuild-config.js.
    alias: { regl: "@plotly/regl", stream: "stream-browserify" },
    define: { global: "window", "define.amd": "false", "process.env.NODE_DEBUG": "false" },
    plugins: [stylesheets(traces.includes("choroplethmap"))],
    logLevel: "warning",
  };
  try {
    writeFileSync(entry, `module.exports = [function () {\n${registration(traces)}\n}];\n`);
    const graph = await esbuild.build({
      ...options,
      entryPoints: [entry],
      write: false,
      metafile: true,
    });
    const order = initialisationOrder(graph.metafile.inputs, path.relative(ROOT, entry));
    writeFileSync(entry, steppedEntry(order, traces));
    await esbuild.build({
      ...options,
      entryPoints: [entry],
      outfile: path.join(OUT, `${name}.min.js`),
      minify: true,
      globalName: "mmmeterPlotlySteps",
      banner: { js: banner(name, traces) },
      legalComments: "eof",
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
