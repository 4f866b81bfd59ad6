// The admin's tabular inlines (e.g. a mitra's income readings) put each field in a table
// cell under a column header, with no label of its own: name every field after its column
// (and row) so that a screen reader announces it.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".inline-group .tabular table").forEach(function (tabel) {
    var judul = Array.prototype.map.call(tabel.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    tabel.querySelectorAll("tbody tr").forEach(function (tr, baris) {
      Array.prototype.forEach.call(tr.children, function (td, kolom) {
        td.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (el) {
          if (el.getAttribute("aria-label") || el.labels && el.labels.length) { return; }
          var nama = judul[kolom] || el.name;
          el.setAttribute("aria-label", nama + " (" + (baris + 1) + ")");
        });
      });
    });
  });
});
