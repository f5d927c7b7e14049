/* Tabs for [data-tabs] blocks (WAI-ARIA tab pattern) and the print button.
   This site's own file (the public CSP allows no inline or outside script);
   without it every panel shows under its heading and nothing is lost. */
(function () {
    "use strict";
    var counter = 0;

    function select(tabs, panels, index, focus) {
        tabs.forEach(function (tab, i) {
            var on = i === index;
            tab.setAttribute("aria-selected", on ? "true" : "false");
            tab.tabIndex = on ? 0 : -1;
            panels[i].hidden = !on;
        });
        if (focus) { tabs[index].focus(); }
    }

    function enhance(container) {
        var panels = Array.prototype.filter.call(container.children, function (el) {
            return el.classList.contains("tab-panel");
        });
        if (!panels.length) { return; }
        var list = document.createElement("div");
        list.className = "tablist";
        list.setAttribute("role", "tablist");
        var heading = container.parentElement.querySelector("h2, h3");
        if (heading && heading.id) { list.setAttribute("aria-labelledby", heading.id); }
        var tabs = panels.map(function (panel) {
            counter += 1;
            var tab = document.createElement("button");
            tab.type = "button";
            tab.id = "tab-" + counter;
            tab.setAttribute("role", "tab");
            tab.setAttribute("aria-controls", panel.id);
            tab.textContent = panel.getAttribute("data-tab-label");
            panel.setAttribute("role", "tabpanel");
            panel.setAttribute("aria-labelledby", tab.id);
            panel.tabIndex = 0;
            list.appendChild(tab);
            return tab;
        });
        tabs.forEach(function (tab, i) {
            tab.addEventListener("click", function () { select(tabs, panels, i, false); });
            tab.addEventListener("keydown", function (event) {
                var next = null;
                if (event.key === "ArrowRight") { next = (i + 1) % tabs.length; }
                if (event.key === "ArrowLeft") { next = (i - 1 + tabs.length) % tabs.length; }
                if (event.key === "Home") { next = 0; }
                if (event.key === "End") { next = tabs.length - 1; }
                if (next !== null) { event.preventDefault(); select(tabs, panels, next, true); }
            });
        });
        container.insertBefore(list, container.firstChild);
        container.classList.add("tabbed");
        select(tabs, panels, 0, false);
    }

    function start() {
        Array.prototype.forEach.call(document.querySelectorAll("[data-tabs]"), enhance);
        Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
            button.hidden = false;
            button.addEventListener("click", function () { window.print(); });
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
}());
