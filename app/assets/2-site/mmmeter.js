/* MMmeter: keyboard and screen-reader behaviour that Dash does not give by itself.
 *
 * - The skip link moves keyboard focus to <main> (not only the scroll position).
 * - After an in-app page change (dcc.Link, back/forward), focus moves to the new page's
 *   <h1>, so keyboard and screen-reader users start at the top of the new content and
 *   hear its heading, instead of being left on <body>.
 * - The document title follows the page's <h1> ("Corona in Emmen | MMmeter"), in the
 *   page's language.
 */
(function () {
  "use strict";

  var SITE = "MMmeter";
  var MAIN_ID = "main-content";
  var lastPath = window.location.pathname;
  var navigated = false; // an in-app navigation to another path is under way
  var pageArrived = false; // ... and Dash has delivered the new page's content
  var settleTimer = null;

  function mainElement() {
    return document.getElementById(MAIN_ID);
  }

  function pageHeading() {
    var main = mainElement();
    return main ? main.querySelector("h1") : null;
  }

  function wantedTitle() {
    var heading = pageHeading();
    var text = heading ? heading.textContent.replace(/\s+/g, " ").trim() : "";
    return text ? text + " | " + SITE : null;
  }

  function applyTitle() {
    var title = wantedTitle();
    if (title && document.title !== title) {
      document.title = title;
    }
  }

  function focusNewPage() {
    var target = pageHeading() || mainElement();
    if (!target) {
      return;
    }
    if (!target.hasAttribute("tabindex")) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus();
  }

  function settle() {
    applyTitle();
    if (navigated && pageArrived) {
      navigated = false;
      pageArrived = false;
      focusNewPage();
    }
  }

  // Wait until the page stops changing (Dash renders in several steps) before acting.
  function schedule() {
    window.clearTimeout(settleTimer);
    settleTimer = window.setTimeout(settle, 120);
  }

  document.addEventListener("click", function (event) {
    var link = event.target && event.target.closest ? event.target.closest("a.skip-link") : null;
    var main = mainElement();
    if (!link || !main) {
      return;
    }
    event.preventDefault();
    main.focus(); // <main tabindex="-1">; focusing also scrolls it into view
  });

  function onLocationChange() {
    if (window.location.pathname !== lastPath) {
      lastPath = window.location.pathname;
      navigated = true;
    }
  }
  window.addEventListener("_dashprivate_pushstate", onLocationChange);
  window.addEventListener("popstate", onLocationChange);

  window.mmmeter = {
    // Called by a clientside callback whenever Dash replaces the page content.
    pageChanged: function () {
      if (navigated) {
        pageArrived = true;
      }
      schedule();
    },
  };

  function observe() {
    new MutationObserver(schedule).observe(document.body, {
      childList: true,
      subtree: true,
      characterData: true,
    });
    // Dash pages sets document.title from its registry after each page change; keep ours.
    var titleElement = document.querySelector("title");
    if (titleElement) {
      new MutationObserver(applyTitle).observe(titleElement, { childList: true });
    }
    schedule();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", observe);
  } else {
    observe();
  }
})();
