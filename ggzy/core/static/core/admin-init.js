/* The admin without inline scripts (its Content-Security-Policy, issue 14 item 13).
 * Wagtail's widget and panel templates set things up with inline <script>s; ggzy's
 * copies of those templates (ggzy/core/templates/wagtailadmin/) leave a hidden
 * element instead, and this file makes the same call for each one: at load, and
 * for elements added later (a new inline row, a modal, a refreshed listing). */
(function () {
  "use strict";

  function init(el) {
    if (el.dataset.ggzyDone) return;
    el.dataset.ggzyDone = "1";
    var options = JSON.parse(el.dataset.ggzyOptions || "{}");
    if (el.dataset.ggzyCall) {
      var fn = window[el.dataset.ggzyCall];
      if (typeof fn === "function") fn(el.dataset.ggzyId, options);
    } else if (el.dataset.ggzyNew) {
      var Ctor = window[el.dataset.ggzyNew];
      if (typeof Ctor === "function") new Ctor(options);
    }
  }

  var SELECTOR = "[data-ggzy-call], [data-ggzy-new]";

  function scan(root) {
    if (root.nodeType !== 1 && root.nodeType !== 9) return;
    if (root.nodeType === 1 && root.matches(SELECTOR)) init(root);
    root.querySelectorAll(SELECTOR).forEach(init);
  }

  function start() {
    scan(document);
    new MutationObserver(function (mutations) {
      mutations.forEach(function (m) {
        m.addedNodes.forEach(scan);
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
