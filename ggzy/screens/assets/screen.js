/* The hall's screens (ggzy.screens): fetch data.json every refresh interval (each
   fetch is the screen's heartbeat), draw the sections, scroll what does not fit.
   No external script; the text comes only from data.json (published notices). */
(function () {
    "use strict";
    var body = document.body;
    var version = body.getAttribute("data-version");
    var refresh = Math.max(10, parseInt(body.getAttribute("data-refresh"), 10) || 30) * 1000;
    var speed = Math.max(10, parseInt(body.getAttribute("data-speed"), 10) || 40);
    var statusEl = document.getElementById("screen-status");
    var clockEl = document.getElementById("screen-clock");
    var panels = Array.prototype.slice.call(document.querySelectorAll("[data-section]"));
    var shown = {};
    var lastOk = null;

    function pad(n) { return (n < 10 ? "0" : "") + n; }
    function hhmm(d) { return pad(d.getHours()) + ":" + pad(d.getMinutes()); }
    function clock() {
        var d = new Date();
        clockEl.textContent = hhmm(d) + ":" + pad(d.getSeconds());
    }

    function row(key, item) {
        var node = document.getElementById("screen-row-" + key).content.firstElementChild.cloneNode(true);
        Array.prototype.forEach.call(node.querySelectorAll("[data-field]"), function (el) {
            var value = item[el.getAttribute("data-field")];
            el.textContent = value === undefined || value === null || value === "" ? (el.getAttribute("data-default") || "") : String(value);
        });
        Array.prototype.forEach.call(node.querySelectorAll("[data-if]"), function (el) {
            if (!item[el.getAttribute("data-if")]) { el.remove(); }
        });
        return node;
    }

    function draw(panel, key, items) {
        var signature = JSON.stringify(items);
        if (shown[key] === signature) { return; }
        shown[key] = signature;
        var track = panel.querySelector(".track");
        track.textContent = "";
        panel.querySelector("[data-count]").textContent = items.length ? "（" + items.length + "）" : "";
        if (!items.length) {
            track.appendChild(document.getElementById("screen-empty-" + key).content.firstElementChild.cloneNode(true));
        }
        items.forEach(function (item) { track.appendChild(row(key, item)); });
        panel.scroll = { pos: 0, loop: 0 };
        var viewport = panel.querySelector(".viewport");
        if (track.scrollHeight > viewport.clientHeight + 2) {
            // A second copy below the first: scrolling wraps around without a jump.
            var height = track.scrollHeight;
            Array.prototype.slice.call(track.children).forEach(function (child) {
                var copy = child.cloneNode(true);
                copy.setAttribute("aria-hidden", "true");
                track.appendChild(copy);
            });
            panel.scroll.loop = height;
        }
        track.style.transform = "translateY(0)";
    }

    function render(data) {
        if (data.version !== version) { window.location.reload(); return; }
        document.getElementById("screen-day").textContent = data.day;
        document.getElementById("screen-weekday").textContent = data.weekday;
        panels.forEach(function (panel) {
            var key = panel.getAttribute("data-section");
            draw(panel, key, data.sections[key] || []);
        });
    }

    function load() {
        fetch("data.json", { cache: "no-cache", credentials: "omit" })
            .then(function (response) {
                if (!response.ok) { throw new Error(String(response.status)); }
                return response.json();
            })
            .then(function (data) {
                lastOk = new Date();
                body.classList.remove("stale");
                statusEl.textContent = "";
                render(data);
            })
            .catch(function () {
                // Keep showing what was fetched last, and say since when.
                body.classList.add("stale");
                statusEl.textContent = statusEl.getAttribute("data-stale").replace("%s", lastOk ? hhmm(lastOk) : "--:--");
            })
            .then(function () { window.setTimeout(load, refresh); });
    }

    var before = null;
    function scroll(now) {
        var elapsed = before === null ? 0 : Math.min(now - before, 200) / 1000;
        before = now;
        panels.forEach(function (panel) {
            var state = panel.scroll;
            if (!state || !state.loop) { return; }
            state.pos = (state.pos + speed * elapsed) % state.loop;
            panel.querySelector(".track").style.transform = "translateY(" + (-state.pos).toFixed(1) + "px)";
        });
        window.requestAnimationFrame(scroll);
    }

    clock();
    window.setInterval(clock, 1000);
    load();
    window.requestAnimationFrame(scroll);
}());
