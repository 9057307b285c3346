/* Datalists made by layouts/datalist.py: the <option>s written from their data-options list
 * (JSON), here and not as hundreds of Dash components (layouts/datalist.py).
 */
(function () {
  "use strict";
  var SELECTOR = "datalist[data-options]";

  function fill(list) {
    var raw = list.getAttribute("data-options");
    if (list.mmmeterOptions === raw) {
      return;
    }
    var values;
    try {
      values = JSON.parse(raw);
    } catch (error) {
      return;
    }
    var fragment = document.createDocumentFragment();
    values.forEach(function (value) {
      var option = document.createElement("option");
      option.value = value;
      fragment.appendChild(option);
    });
    list.replaceChildren(fragment);
    list.mmmeterOptions = raw;
  }

  function fillAll(root) {
    if (!(root instanceof HTMLElement)) {
      return; // text, and the SVG a chart draws node by node: no datalist in there
    }
    if (root.matches(SELECTOR)) {
      fill(root);
    }
    root.querySelectorAll(SELECTOR).forEach(fill);
  }

  function start() {
    fillAll(document.body);
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        if (record.type === "attributes") {
          fill(record.target);
        } else {
          record.addedNodes.forEach(fillAll);
        }
      });
    }).observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["data-options"],
    });
  }

  if (document.body) {
    start();
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();
