/* Intervision live view: count down from the server's remaining seconds between polls.
   The server owns the phase state; each htmx poll replaces the countdown element, and this
   script only advances what the server last said (amber at 80 %, red at 100 %). */
(function () {
  "use strict";
  function format(seconds) {
    var sign = seconds < 0 ? "-" : "";
    var left = Math.abs(Math.round(seconds));
    var minutes = Math.floor(left / 60);
    var rest = left % 60;
    return sign + minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }
  function tick() {
    var clock = document.getElementById("countdown");
    if (!clock || clock.dataset.paused) { return; }
    if (!clock.dataset.t0) { clock.dataset.t0 = String(Date.now()); }
    var remaining = Number(clock.dataset.remaining) - (Date.now() - Number(clock.dataset.t0)) / 1000;
    var planned = Number(clock.dataset.planned) || 1;
    var used = (planned - remaining) / planned;
    clock.textContent = format(remaining);
    clock.classList.toggle("level-amber", used >= 0.8 && used < 1);
    clock.classList.toggle("level-red", used >= 1);
    clock.classList.toggle("level-ok", used < 0.8);
    var actual = document.getElementById("current-actual");
    if (actual) { actual.textContent = (Math.max(0, planned - remaining) / 60).toFixed(1); }
  }
  setInterval(tick, 250);
  // A poll answered before a change can arrive after it: never swap in an older state.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var live = document.getElementById("live");
    if (!live || event.detail.target !== live) { return; }
    var match = /data-version="(\d+)"/.exec(event.detail.serverResponse || "");
    if (match && Number(match[1]) < Number(live.dataset.version)) {
      event.detail.shouldSwap = false;
    }
  });
})();
