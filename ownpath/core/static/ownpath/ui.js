/* ownpath: small enhancements over pages that work without JavaScript (docs/design.md).
   - dropdowns (<details class="dropdown">): one open at a time; Escape or a click elsewhere closes them;
   - tables: each cell gets the label of its column, so that on a phone a row reads as a card;
   - long selects (more than 15 options): a box above filters the options as you type. */
(function () {
  "use strict";
  var dropdowns = function () { return document.querySelectorAll("details.dropdown"); };
  document.addEventListener("toggle", function (event) {
    var opened = event.target;
    if (!opened.matches || !opened.matches("details.dropdown") || !opened.open) return;
    dropdowns().forEach(function (other) { if (other !== opened) other.open = false; });
  }, true);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    dropdowns().forEach(function (d) {
      if (d.open) { d.open = false; d.querySelector("summary").focus(); }
    });
  });
  document.addEventListener("click", function (event) {
    dropdowns().forEach(function (d) { if (d.open && !d.contains(event.target)) d.open = false; });
  });

  function labelTables(root) {
    root.querySelectorAll("table.table").forEach(function (table) {
      var heads = table.querySelectorAll("thead th");
      if (!heads.length || table.querySelector("[colspan]")) return;
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, i) {
          if (heads[i] && heads[i].textContent.trim()) cell.setAttribute("data-label", heads[i].textContent.trim());
        });
      });
      table.setAttribute("data-cards", "");
    });
  }

  function searchable(root) {
    var label = document.documentElement.getAttribute("data-filter-label") || "";
    root.querySelectorAll("main select").forEach(function (select) {
      if (select.options.length <= 15 || select.dataset.searchable === "on" || !select.id) return;
      select.dataset.searchable = "on";
      var box = document.createElement("input");
      box.type = "search";
      box.className = "searchable-filter";
      box.id = select.id + "-filter";
      box.setAttribute("aria-controls", select.id);
      box.setAttribute("aria-label", label);
      box.placeholder = label;
      box.addEventListener("input", function () {
        var words = box.value.toLocaleLowerCase().trim();
        Array.prototype.forEach.call(select.options, function (option) {
          option.hidden = Boolean(words) && !option.selected && option.text.toLocaleLowerCase().indexOf(words) === -1;
        });
      });
      select.parentNode.insertBefore(box, select);
    });
  }

  function enhance(root) { labelTables(root); searchable(root); }
  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:afterSwap", function (event) { enhance(event.target); });
})();
