// 应急预案 第八条: the live 5-minute report clock on the incident page.
(function () {
  var el = document.getElementById("clock-remaining");
  var box = document.getElementById("clock");
  if (!el || !box) { return; }
  var due = parseInt(box.dataset.due, 10);
  function tick() {
    var left = Math.max(0, Math.round((due - Date.now()) / 1000));
    el.textContent = left;
    if (left > 0) { window.setTimeout(tick, 1000); }
  }
  tick();
})();
