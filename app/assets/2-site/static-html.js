/* StaticHtml (layouts/islands.py): a static part of a page, one element whose children are
 * HTML written by the server. React renders the element; the browser parses its children.
 * A link marked data-dash-link (a dcc.Link on the server) is followed as dcc.Link does: the
 * address changes without a reload and Dash's router shows the page.
 */
(function () {
  "use strict";

  function followLink(event) {
    if (event.defaultPrevented || event.button !== 0) {
      return;
    }
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    var link = event.target.closest ? event.target.closest("a[data-dash-link]") : null;
    if (!link || !event.currentTarget.contains(link) || link.target) {
      return;
    }
    event.preventDefault();
    window.history.pushState({}, "", link.getAttribute("href"));
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
    window.scrollTo(0, 0);
  }

  function StaticHtml(props) {
    var attributes = Object.assign({}, props.attributes || {});
    if (props.id) {
      attributes.id = props.id;
    }
    attributes.dangerouslySetInnerHTML = { __html: props.html || "" };
    if ((props.html || "").indexOf("data-dash-link") !== -1) {
      attributes.onClick = followLink;
    }
    return window.React.createElement(props.tag || "div", attributes);
  }

  window.mmmeter_components = { StaticHtml: StaticHtml };
})();
