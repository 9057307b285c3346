/* The "embed" dialog under every figure (layouts/embed.py): the <iframe> code for the figure
   in the state the page shows now (its address with embed=1 and the figure's id), and a copy
   button. */
(function () {
  "use strict";
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function iframeCode(area) {
    var url = new URL(window.location.href);
    url.searchParams.set("embed", "1");
    url.searchParams.set("figuur", area.getAttribute("data-figure"));
    url.hash = "";
    var title = area.getAttribute("data-title") || "MMmeter";
    return '<iframe src="' + escapeHtml(url.href) + '" title="' + escapeHtml(title) +
      '" width="720" height="640" style="border:0;max-width:100%" loading="lazy"></iframe>';
  }
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (!details.classList || !details.classList.contains("mm-embed-dialog") || !details.open) {
      return;
    }
    var area = details.querySelector("textarea[data-figure]");
    if (area) { area.value = iframeCode(area); }
  }, true);
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".mm-embed-copy") : null;
    if (!button) { return; }
    var area = document.getElementById(button.getAttribute("data-target"));
    if (!area) { return; }
    area.value = iframeCode(area);
    area.select();
    if (navigator.clipboard) { navigator.clipboard.writeText(area.value).catch(function () {}); }
  });
})();
