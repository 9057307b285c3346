/* plotly.js for the charts, off the critical path of the first paint.
 *
 * Dash's Graph draws with window.Plotly; when there is none it adds a <script> for
 * window._dashPlotlyJSURL (plotly.py's full 4.8 MB plotly.min.js). Here window.Plotly starts as
 * a promise that Dash's Graph waits for (it takes `window.Plotly || <load the URL>` as a
 * promise), and it is kept only once a chart's box comes near the screen (within a screen's
 * height) or the reader starts to use the page (scroll, touch, key, pointer movement). Then the
 * partial bundle named in <meta name="mmmeter-plotly"> (app/plotly_bundle.py: only the trace
 * types MMmeter draws, at an address with its hash) is loaded at low priority; its `var Plotly`
 * replaces the promise, and every chart waiting draws. A page without charts loads no
 * plotly.js; a phone that opens a page whose charts are below the first screen evaluates none
 * until the reader scrolls towards them. Charts have a box of fixed height
 * (layouts/figure_block.py), so nothing moves when they draw.
 *
 * A map with a poster (its first state as an SVG in the page: layouts/figures/map_poster.py)
 * does not call for plotly.js by being on screen; the reader's first scroll, touch, key or
 * pointer movement does, and the poster is hidden once plotly.js has drawn the interactive map
 * in its box (app/assets/2-site/map-poster.js makes a poster act as the map until then).
 *
 * The bundle evaluates plotly.js in steps, one task each (evaluateInSteps; the bundle's
 * `mmmeterPlotlySteps` is built by frontend/build_plotly.mjs): in one go it was a task of some
 * 360 ms on a phone, blocking every tap. Charts then draw one at a time, each in a task of its
 * own (drawInTurn).
 *
 * window.mmmeterPlotly.load() loads it at once (a test, or a script that needs every chart).
 */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="mmmeter-plotly"]');
  var src = meta && meta.getAttribute("content");
  if (!src || window.Plotly) {
    return;
  }
  // A map with a poster (layouts/figures/map_poster.py: its first state, drawn by the server)
  // is already on screen: its box does not call for plotly.js, only the reader's use does.
  var CHART_BOX = ".mm-graph-box:not(.mm-has-poster)";
  var POSTER = ".mm-map-poster";
  var started = false;
  var resolveLoaded;
  var rejectLoaded;
  var loaded = new Promise(function (resolve, reject) {
    resolveLoaded = resolve;
    rejectLoaded = reject;
  });

  Object.defineProperty(window, "_dashPlotlyJSURL", {
    configurable: true,
    get: function () {
      return src;
    },
    set: function () {
      /* the renderer's own address (plotly.py's full bundle) is not used */
    },
  });

  function load() {
    if (started) {
      return loaded;
    }
    started = true;
    stopWatching();
    var script = document.createElement("script");
    script.src = src;
    script.async = true;
    script.fetchPriority = "low";
    script.onload = function () {
      evaluateInSteps(window.mmmeterPlotlySteps).then(function (Plotly) {
        window.Plotly = Plotly;
        drawInTurn(Plotly);
        resolveLoaded(Plotly);
      }, rejectLoaded);
    };
    script.onerror = function (error) {
      rejectLoaded(error);
    };
    document.head.appendChild(script);
    return loaded;
  }

  // Each step initialises a share of plotly's modules; the last one returns Plotly.
  function evaluateInSteps(steps) {
    return new Promise(function (resolve, reject) {
      var step = 0;
      function next() {
        var result;
        try {
          result = steps[step]();
        } catch (error) {
          reject(error);
          return;
        }
        step += 1;
        if (step < steps.length) {
          setTimeout(next, 0);
        } else {
          resolve(result);
        }
      }
      next();
    });
  }

  // All charts of a page wait for the same bundle, so they would all draw in one long task
  // when it arrives; drawn one after another, each in a task of its own, the page stays
  // responsive in between (Plotly.react and newPlot return promises, as before).
  function drawInTurn(Plotly) {
    var turn = Promise.resolve();
    ["react", "newPlot"].forEach(function (name) {
      var draw = Plotly[name];
      if (typeof draw !== "function") {
        return;
      }
      Plotly[name] = function () {
        var args = arguments;
        var drawn = turn
          .then(function () {
            return new Promise(function (resolve) {
              setTimeout(resolve, 0);
            });
          })
          .then(function () {
            return draw.apply(Plotly, args);
          })
          .then(function (result) {
            hidePoster(args[0]);
            return result;
          });
        turn = drawn.catch(function () {});
        return drawn;
      };
    });
  }

  // The interactive map is drawn over the poster: the poster goes.
  function hidePoster(graph) {
    var element = typeof graph === "string" ? document.getElementById(graph) : graph;
    var box = element && element.closest ? element.closest(".mm-graph-box") : null;
    var poster = box && box.querySelector(POSTER);
    if (poster) {
      poster.hidden = true;
    }
  }

  // Until the bundle runs, window.Plotly is the promise Dash's Graph waits for.
  window.Plotly = loaded;
  window.mmmeterPlotly = { load: load, loaded: loaded };

  var INTERACTIONS = [
    "scroll",
    "pointerdown",
    "pointermove",
    "touchstart",
    "keydown",
    "wheel",
    "beforeprint",
  ];
  var observer = null;
  var mutations = null;

  function onInteraction() {
    load();
  }

  function watch(box) {
    if (observer && !box.mmmeterWatched) {
      box.mmmeterWatched = true;
      observer.observe(box);
    }
  }

  function watchAll(root) {
    if (!(root instanceof HTMLElement)) {
      return; // text, SVG: no chart box in there
    }
    if (root.matches(CHART_BOX)) {
      watch(root);
    }
    root.querySelectorAll(CHART_BOX).forEach(watch);
  }

  function stopWatching() {
    INTERACTIONS.forEach(function (name) {
      window.removeEventListener(name, onInteraction, true);
    });
    if (observer) {
      observer.disconnect();
    }
    if (mutations) {
      mutations.disconnect();
    }
  }

  INTERACTIONS.forEach(function (name) {
    window.addEventListener(name, onInteraction, { capture: true, passive: true });
  });
  if (!("IntersectionObserver" in window)) {
    load();
    return;
  }
  observer = new IntersectionObserver(
    function (entries) {
      if (
        entries.some(function (entry) {
          return entry.isIntersecting;
        })
      ) {
        load();
      }
    },
    { rootMargin: "100% 0px 100% 0px" }
  );
  mutations = new MutationObserver(function (records) {
    records.forEach(function (record) {
      record.addedNodes.forEach(watchAll);
    });
  });
  function start() {
    watchAll(document.body);
    mutations.observe(document.body, { childList: true, subtree: true });
  }
  if (document.body) {
    start();
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();
