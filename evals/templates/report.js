/* evals reports: optional enhancements. The page is complete without this script. */
(function () {
  "use strict";
  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };

  // Drill-downs arrive as noscript text (unparsed while scripting is on): parse on opening.
  function load(details) {
    if (details.getAttribute("data-loaded")) return;
    var source = details.querySelector(":scope > noscript");
    var body = details.querySelector(":scope > .lazy-body");
    if (source && body) body.innerHTML = source.textContent;
    details.setAttribute("data-loaded", "1");
  }
  document.addEventListener("toggle", function (event) {
    var target = event.target;
    if (target.matches && target.matches("details.lazy") && target.open) load(target);
  }, true);
  function openFromHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.matches("details.lazy")) {
      target.open = true;
      load(target);
      target.scrollIntoView();
    }
  }
  window.addEventListener("hashchange", openFromHash);
  openFromHash();

  function sortKey(cell) {
    if (!cell) return "";
    var value = cell.getAttribute("data-v");
    if (value !== null) {
      var number = parseFloat(value);
      return isNaN(number) ? value.toLowerCase() : number;
    }
    return cell.textContent.trim().toLowerCase();
  }
  each(document.querySelectorAll("table.sortable"), function (table) {
    if (!table.tHead || !table.tBodies.length) return;
    var heads = table.tHead.rows[0].cells;
    each(heads, function (th, column) {
      th.classList.add("sort");
      th.tabIndex = 0;
      th.title = "sort";
      function sort() {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        each(heads, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = sortKey(a.cells[column]), y = sortKey(b.cells[column]);
          var order = (typeof x === "number" && typeof y === "number")
            ? x - y : String(x).localeCompare(String(y));
          return ascending ? order : -order;
        });
        each(rows, function (row) { body.appendChild(row); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (event) { if (event.key === "Enter") sort(); });
    });
  });

  each(document.querySelectorAll("[data-filter]"), function (box) {
    var table = document.getElementById(box.getAttribute("data-filter"));
    if (!table || !table.tBodies.length) return;
    box.hidden = false;
    var text = box.querySelector("input[type=search]");
    var failing = box.querySelector("input[name=failing]");
    function apply() {
      var query = text ? text.value.trim().toLowerCase() : "";
      each(table.tBodies[0].rows, function (row) {
        var textOk = !query || row.textContent.toLowerCase().indexOf(query) >= 0;
        var failOk = !failing || !failing.checked || row.classList.contains("has-fail");
        row.hidden = !(textOk && failOk);
      });
    }
    if (text) text.addEventListener("input", apply);
    if (failing) failing.addEventListener("change", apply);
  });

  var onlyFailing = document.getElementById("only-failing");
  if (onlyFailing) {
    onlyFailing.parentNode.hidden = false;
    onlyFailing.addEventListener("change", function () {
      document.body.classList.toggle("only-failing", onlyFailing.checked);
    });
  }
})();
