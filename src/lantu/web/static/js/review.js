// The review page of a text: choosing an item marks its clause in the text (and scrolls the
// text to it); choosing a marked clause marks its item. Without JavaScript the links still jump.
(function () {
  "use strict";
  var pane = document.getElementById("rv-text");
  if (!pane) return;
  function show(id, scrollText, scrollRow) {
    pane.querySelectorAll("mark.on").forEach(function (m) { m.classList.remove("on"); });
    document.querySelectorAll("tr.on").forEach(function (r) { r.classList.remove("on"); });
    var marks = pane.querySelectorAll('mark[data-items~="' + id + '"]');
    marks.forEach(function (m) { m.classList.add("on"); });
    var row = document.getElementById("item-" + id);
    if (row) {
      row.classList.add("on");
      if (scrollRow) row.scrollIntoView({ block: "nearest" });
    }
    if (scrollText && marks.length) pane.scrollTop = Math.max(0, marks[0].offsetTop - pane.clientHeight / 3);
  }
  document.querySelectorAll("tr[data-item]").forEach(function (tr) {
    tr.addEventListener("click", function (e) {
      if (e.target.closest("form, details, button, input, select, textarea")) return;
      e.preventDefault();
      show(tr.dataset.item, true, false);
    });
  });
  pane.querySelectorAll("mark[data-items]").forEach(function (m) {
    m.addEventListener("click", function () { show(m.dataset.items.trim().split(" ")[0], false, true); });
  });
  var hash = location.hash.match(/^#item-(\d+)$/);
  if (hash) show(hash[1], true, false);
})();
