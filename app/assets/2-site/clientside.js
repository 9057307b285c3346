/* MMmeter's clientside callback functions, served once as an asset instead of being written
 * into every page's HTML once per callback that uses them. Python names them with
 * dash.ClientsideFunction("mmmeter", <name>) (callbacks/clientside.py).
 */
(function () {
  "use strict";
  var clientside = (window.dash_clientside = window.dash_clientside || {});
  var ns = (clientside.mmmeter = clientside.mmmeter || {});

  /*
   * Writes a figure's "show as table" alternative in the browser, from the figure itself: a Dash
   * clientside callback with Input the graph's `figure` and State the table box's `id`. The box
   * sits in a <details>; the table is written when the reader opens it (and again when the figure
   * changes while it is open), so a page with several long daily series keeps a small DOM until a
   * table is wanted. It is plain HTML: the browser parses thousands of rows in milliseconds, where
   * Dash components per cell would take seconds. The box's data-rows says how many rows it holds.
   * Rows: one per day, newest first, the day in a <time datetime> (kind 'date'; traces give x0/dx
   * or x dates), or one per category (kind 'category', horizontal bars). Columns: one per trace,
   * named as in the legend; numbers with the decimals in layout.meta.table, in the page's locale.
   */
  ns.tableFromFigure = function (figure, boxId) {
        const box = document.getElementById(boxId);
        if (!box) { return window.dash_clientside.no_update; }
        box.mmFigure = figure;
        const details = box.closest('details');
        const write = () => {
            const html = figureTable(box.mmFigure);
            box.innerHTML = html.text;
            box.setAttribute('data-rows', String(html.rows));
        };
        if (details && !details.mmTable) {
            details.mmTable = true;
            details.addEventListener('toggle', () => { if (details.open) { write(); } });
        }
        if (!details || details.open) { write(); }
        else { box.innerHTML = ''; box.removeAttribute('data-rows'); }
        return window.dash_clientside.no_update;

        function figureTable(figure) {
            const spec = (((figure || {}).layout || {}).meta || {}).table;
            if (!spec || !figure.data || !figure.data.length) { return {text: '', rows: 0}; }
            const esc = text => String(text).replace(/[&<>"]/g,
                c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'})[c]);
            const formats = spec.decimals.map(d => new Intl.NumberFormat(spec.locale, {
                minimumFractionDigits: d, maximumFractionDigits: d, useGrouping: true}));
            const cell = (value, i) => (value === null || value === undefined)
                ? spec.missing : formats[i].format(value) + (spec.suffix || '');
            const traces = figure.data;
            let rows = [];
            if (spec.kind === 'category') {
                rows = (traces[0].y || []).map((category, r) => [esc(category),
                    ...traces.map((trace, i) => esc(cell((trace.x || [])[r], i)))]);
            } else {
                const byDay = new Map();
                traces.forEach((trace, i) => {
                    const start = trace.x ? 0 : Date.parse(trace.x0 + 'T00:00:00Z');
                    (trace.y || []).forEach((value, k) => {
                        if (value === null || value === undefined) { return; }
                        const day = trace.x ? String(trace.x[k]).slice(0, 10)
                            : new Date(start + k * trace.dx).toISOString().slice(0, 10);
                        if (!byDay.has(day)) { byDay.set(day, new Array(traces.length).fill(null)); }
                        byDay.get(day)[i] = value;
                    });
                });
                const dates = new Intl.DateTimeFormat(spec.locale, {
                    day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC'});
                rows = Array.from(byDay.keys()).sort().reverse().map(day =>
                    ['<time datetime="' + day + '">'
                     + esc(dates.format(new Date(day + 'T00:00:00Z'))) + '</time>',
                     ...byDay.get(day).map((value, i) => esc(cell(value, i)))]);
            }
            const head = [spec.header, ...traces.map(trace => trace.name)]
                .map(text => '<th scope="col">' + esc(text) + '</th>').join('');
            const body = rows.map(row => '<tr>' + row.map((html, i) => i === 0
                ? '<th scope="row">' + html + '</th>'
                : '<td class="text-end">' + html + '</td>').join('') + '</tr>').join('');
            const text = '<div class="mm-table-scroll" tabindex="0" role="region" aria-label="'
                + esc(spec.caption) + '"><table class="table table-sm table-striped mb-0"><caption>'
                + esc(spec.caption) + '</caption><thead><tr>' + head + '</tr></thead><tbody>'
                + body + '</tbody></table></div>';
            return {text: text, rows: rows.length};
        }
    };

  /* The same for a pattern-matching id: Dash writes such an id into the page as JSON with
   * sorted keys, so the box is found by that string.
   */
  ns.tableForPatternId = function (figure, id) {
    var domId =
      typeof id === "string"
        ? id
        : "{" +
          Object.keys(id)
            .sort()
            .map(function (k) {
              return JSON.stringify(k) + ":" + JSON.stringify(id[k]);
            })
            .join(",") +
          "}";
    return ns.tableFromFigure(figure, domId);
  };

  /* The table of all municipalities next to the corona map, rebuilt from the patched figure
   * as Dash HTML components: the same table as layouts/pages/corona_map.table_html, so its 342
   * rows never travel again.
   */
  function el(type, props, children) {
    var all = Object.assign({}, props || {});
    if (children !== undefined) {
      all.children = children;
    }
    return { type: type, namespace: "dash_html_components", props: all };
  }
  ns.coronaMapTable = function (state, figure, info) {
    if (!figure || !figure.data || !state || !info) {
      return window.dash_clientside.no_update;
    }
    var trace = figure.data[0];
    var head = state.headers.map(function (h) {
      return el("Th", { scope: "col" }, h);
    });
    var rows = info.order.map(function (i) {
      return el("Tr", {}, [
        el("Th", { scope: "row" }, el("A", { href: info.hrefs[i] }, trace.text[i])),
        el("Td", { className: "text-end" }, trace.customdata[i][0]),
        el("Td", {}, trace.customdata[i][1]),
      ]);
    });
    return el("Table", { className: "table table-sm table-striped mb-0" }, [
      el("Caption", { id: info.caption_id }, state.caption),
      el("Thead", {}, el("Tr", {}, head)),
      el("Tbody", {}, rows),
    ]);
  };
})();
