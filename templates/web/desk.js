// The queue's keyboard: j/k next and previous letter, o or Enter to open it, a to approve it.
// Served from the desk itself (the Content-Security-Policy allows no inline script).
(function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-letter]"));
  if (!rows.length) { return; }
  var current = -1;
  function select(n) {
    if (current >= 0) { rows[current].classList.remove("current"); }
    current = Math.max(0, Math.min(rows.length - 1, n));
    rows[current].classList.add("current");
    rows[current].scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (target && target.closest && target.closest("input, textarea, select, button")) { return; }
    if (event.key === "j") { select(current + 1); event.preventDefault(); }
    else if (event.key === "k") { select(current - 1); event.preventDefault(); }
    else if ((event.key === "o" || event.key === "Enter") && current >= 0) {
      window.location.href = rows[current].querySelector("td.ref a").getAttribute("href");
    } else if (event.key === "a" && current >= 0) {
      var form = rows[current].querySelector("form.approve");
      if (form) { form.submit(); }
    }
  });
}());
