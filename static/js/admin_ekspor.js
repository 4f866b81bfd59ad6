// django-import-export's export page: "select all" bound here instead of an inline onchange
// (the Content-Security-Policy allows no inline script).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input.select-toggle").forEach(function (kotak) {
    kotak.addEventListener("change", function (ev) {
      if (typeof window.onSelectToggleChange === "function") { window.onSelectToggleChange(ev); }
    });
  });
});
