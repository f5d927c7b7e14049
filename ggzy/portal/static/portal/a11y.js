/* 无障碍 / 适老化 toolbar of the public site (GB/T 37668-2019, 工信部 适老化): larger text,
   high contrast, line spacing, large cursor, reading guide; remembered per visitor in
   localStorage; all buttons are native <button>s (keyboard operable). No external script:
   the site's Content-Security-Policy allows only this site's files. Also the phone menu. */
(function () {
  "use strict";
  var KEY = "ggzy-a11y";
  var root = document.documentElement;
  var MAX_STEP = 4;
  var state = { text: 0, contrast: false, spacing: false, cursor: false, guide: false, open: false };

  function load() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(KEY) || "{}");
      for (var k in state) { if (Object.prototype.hasOwnProperty.call(saved, k)) state[k] = saved[k]; }
    } catch (e) { /* private mode or a bad value: defaults */ }
    state.text = Math.max(0, Math.min(MAX_STEP, parseInt(state.text, 10) || 0));
  }
  function save() {
    try { window.localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* not remembered */ }
  }
  function apply() {
    for (var i = 1; i <= MAX_STEP; i++) root.classList.toggle("a11y-text-" + i, state.text === i);
    root.classList.toggle("a11y-contrast", !!state.contrast);
    root.classList.toggle("a11y-spacing", !!state.spacing);
    root.classList.toggle("a11y-cursor", !!state.cursor);
    root.classList.toggle("a11y-guide", !!state.guide);
  }
  load();
  apply(); // before the body paints: no flash of the default look

  function ready() {
    var bar = document.getElementById("a11y-bar");
    var opener = document.getElementById("a11y-open");
    var status = bar ? bar.querySelector(".a11y-status") : null;
    var guide = document.querySelector(".reading-guide");
    function announce(text) { if (status) status.textContent = text; }
    function sync() {
      if (!bar) return;
      var buttons = bar.querySelectorAll("button[aria-pressed]");
      for (var i = 0; i < buttons.length; i++) {
        buttons[i].setAttribute("aria-pressed", state[buttons[i].getAttribute("data-a11y")] ? "true" : "false");
      }
      bar.hidden = !state.open;
      if (opener) opener.setAttribute("aria-expanded", state.open ? "true" : "false");
      if (guide) guide.hidden = !state.guide;
    }
    if (opener && bar) {
      opener.hidden = false;
      opener.addEventListener("click", function () {
        state.open = !state.open;
        save(); sync();
        if (state.open) { var first = bar.querySelector("button"); if (first) first.focus(); }
      });
      bar.addEventListener("click", function (event) {
        var button = event.target.closest ? event.target.closest("button[data-a11y]") : null;
        if (!button) return;
        var action = button.getAttribute("data-a11y");
        if (action === "text-up") state.text = Math.min(MAX_STEP, state.text + 1);
        else if (action === "text-down") state.text = Math.max(0, state.text - 1);
        else if (action === "reset") { state = { text: 0, contrast: false, spacing: false, cursor: false, guide: false, open: true }; }
        else if (action === "close") { state.open = false; }
        else state[action] = !state[action];
        save(); apply(); sync();
        if (action === "close") { opener.focus(); return; }
        announce(button.textContent + (button.hasAttribute("aria-pressed") ? (state[action] ? " 已开启" : " 已关闭") : ""));
      });
      bar.addEventListener("keydown", function (event) {
        if (event.key === "Escape") { state.open = false; save(); sync(); opener.focus(); }
      });
    }
    if (guide) {
      var place = function (y) { guide.style.top = Math.max(0, y - 18) + "px"; };
      document.addEventListener("mousemove", function (event) { if (state.guide) place(event.clientY); });
      document.addEventListener("focusin", function (event) {
        if (!state.guide || !event.target.getBoundingClientRect) return;
        var box = event.target.getBoundingClientRect();
        place(box.top + box.height / 2);
      });
    }
    sync();

    // The phone menu: collapsed behind a button on narrow screens (CSS decides when).
    var nav = document.getElementById("main-nav");
    var toggle = nav ? nav.querySelector(".nav-toggle") : null;
    if (nav && toggle) {
      toggle.hidden = false;
      nav.classList.add("nav-collapsible");
      toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        nav.classList.toggle("nav-open", open);
      });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
