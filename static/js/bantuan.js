// Bantuan pages: small enhancements; every page works without them.
(function () {
  "use strict";

  // Ask before an action that cannot be undone (forms with data-konfirmasi).
  document.querySelectorAll("form[data-konfirmasi]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.konfirmasi)) {
        event.preventDefault();
      }
    });
  });

  // Proposal form: the tenor only matters for revolving capital.
  var jenis = document.getElementById("id_jenis");
  var tenor = document.getElementById("div_id_tenor_bulan");
  if (jenis && tenor) {
    var sesuaikan = function () {
      tenor.classList.toggle("d-none", jenis.value !== "modal_bergulir");
    };
    jenis.addEventListener("change", sesuaikan);
    sesuaikan();
  }
})();
