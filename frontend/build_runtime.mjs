// Builds app/assets/0-runtime/regenerator-runtime.min.js: the `regeneratorRuntime` global that
// Dash's renderer and dcc call (their async functions are compiled to generators), minified
// from the pinned `regenerator-runtime` npm package with the pinned esbuild. MMmeter serves it
// instead of Dash's polyfill@7 bundle (core-js 2, 99 KB), whose ES2015+ polyfills every browser
// React 18 runs in has natively (app/main.py drops that script). Same inputs, same bytes.
//
//   npm ci && node frontend/build_runtime.mjs
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

import * as esbuild from "esbuild";

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const OUT = path.join(ROOT, "app", "assets", "0-runtime");
const SOURCE = require.resolve("regenerator-runtime/runtime.js");
const VERSION = JSON.parse(
  readFileSync(require.resolve("regenerator-runtime/package.json"), "utf8"),
).version;

const built = await esbuild.transform(readFileSync(SOURCE, "utf8"), {
  minify: true,
  target: "es2017",
  legalComments: "none",
});
mkdirSync(OUT, { recursive: true });
const banner =
  `/*! regenerator-runtime ${VERSION} | (c) 2014-present, Facebook, Inc. | MIT licence: ` +
  "REGENERATOR-RUNTIME-LICENSE */\n";
writeFileSync(path.join(OUT, "regenerator-runtime.min.js"), banner + built.code);
writeFileSync(
  path.join(OUT, "REGENERATOR-RUNTIME-LICENSE"),
  readFileSync(require.resolve("regenerator-runtime/LICENSE"), "utf8"),
);
console.log(`regenerator-runtime ${VERSION}: ${built.code.length} bytes`);
