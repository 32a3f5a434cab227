// The HTML report's only script, inlined: expand or collapse every cell's details, and
// hide the rows where nothing fails, for a quick look at what needs work. It only
// toggles attributes and classes; it never writes report text into the page.
(function () {
  "use strict";
  function cells() {
    return document.querySelectorAll(".matrix details");
  }
  document.getElementById("expand-all").addEventListener("click", function () {
    cells().forEach(function (d) { d.open = true; });
  });
  document.getElementById("collapse-all").addEventListener("click", function () {
    cells().forEach(function (d) { d.open = false; });
  });
  document.getElementById("only-failing").addEventListener("change", function (event) {
    var only = event.target.checked;
    document.querySelectorAll(".matrix tbody tr").forEach(function (row) {
      row.classList.toggle("hidden", only && row.dataset.fails !== "true");
    });
  });
})();
