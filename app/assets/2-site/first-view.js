/* The first view (app/first_paint.py): a copy of the page written by the server, shown until
 * Dash has rendered the page itself (out of sight, see mmmeter.css); then the copy goes and
 * Dash's page shows in the same place. Without Dash's page after a while (an error), the copy
 * goes too, so that Dash's own message shows.
 */
(function () {
  "use strict";
  var view = document.getElementById("mm-first-view");
  if (!view) {
    return;
  }
  var GIVE_UP_MS = 20000;
  var observer = null;
  var timer = null;

  function pageArrived() {
    var content = document.getElementById("_pages_content");
    return !!content && content.childElementCount > 0;
  }

  function swap() {
    if (observer) {
      observer.disconnect();
    }
    clearTimeout(timer);
    if (view.parentNode) {
      view.parentNode.removeChild(view);
    }
  }

  observer = new MutationObserver(function () {
    if (pageArrived()) {
      swap();
    }
  });
  observer.observe(document.getElementById("react-entry-point") || document.body, {
    childList: true,
    subtree: true,
  });
  timer = setTimeout(swap, GIVE_UP_MS);
})();
