// Builds app/assets/1-vendor/bootstrap.purged.css: Bootstrap's CSS (the pinned `bootstrap` npm
// package) with only the rules whose classes MMmeter can use, found by PurgeCSS in the app's
// Python, YAML and JavaScript. The classes dash-bootstrap-components writes for the components
// the app uses (dbc.Navbar -> navbar-expand-lg, dbc.Col(lg=7) -> col-lg-7, dbc.Alert(color=
// "info") -> alert-info, ...) are listed below; add a component's classes when a page starts
// using a new one. Same inputs, same bytes.
//
//   npm ci && node frontend/build_css.mjs
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { PurgeCSS } from "purgecss";

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SOURCE = require.resolve("bootstrap/dist/css/bootstrap.min.css");
const VERSION = JSON.parse(readFileSync(require.resolve("bootstrap/package.json"), "utf8")).version;
const OUT = path.join(ROOT, "app", "assets", "1-vendor", "bootstrap.purged.css");

// What dash-bootstrap-components 2 writes for the components MMmeter uses.
const DBC_CLASSES = [
  // dbc.Alert(color=...), dismissable
  "alert", /^alert-(info|warning|danger|success)$/, "alert-dismissible", "alert-heading",
  "alert-link", "btn-close", "fade", "show",
  // dbc.Card, dbc.CardBody
  "card", "card-body",
  // dbc.Navbar(dark=True, expand="lg"), dbc.NavbarBrand, dbc.Collapse(navbar=True)
  "navbar", "navbar-expand-lg", "navbar-dark", "navbar-brand", "navbar-collapse", "collapse",
  "collapsing",
  // dbc.Container(fluid="lg"), dbc.Row, dbc.Col(xs=, sm=, lg=; theme rows give any width)
  "container", "container-lg", "container-fluid", "row", "col", /^col-(sm-|lg-)?\d+$/,
  // dbc.RadioItems(inline=True), dbc.Select, dbc.Input(type="range")
  "form-check", "form-check-inline", "form-check-input", "form-check-label", "form-select",
  "form-control", "form-range", "is-invalid", "is-valid",
  // dbc.Table(bordered=True, size="sm")
  "table", "table-bordered", "table-sm",
];

const content = [
  "app/**/*.py",
  "callbacks/**/*.py",
  "layouts/**/*.py",
  "layouts/themes/*.yaml",
  "app/assets/2-site/*.js",
].map((glob) => path.join(ROOT, glob));

const [result] = await new PurgeCSS().purge({
  content,
  css: [SOURCE],
  safelist: { standard: DBC_CLASSES },
  fontFace: false,
  keyframes: false,
  variables: false,
});

const banner = `/*! Bootstrap v${VERSION} (MIT, see BOOTSTRAP-LICENSE), reduced by frontend/build_css.mjs (PurgeCSS) to the classes MMmeter uses. */\n`;
const css = result.css.replace(/^@charset "UTF-8";/, "");
writeFileSync(OUT, `@charset "UTF-8";${banner}${css}\n`);
const before = readFileSync(SOURCE).length;
console.log(`bootstrap ${VERSION}: ${before} -> ${Buffer.byteLength(css)} bytes, ${OUT}`);
