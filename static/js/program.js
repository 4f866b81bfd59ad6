// The activity form (program:kegiatan_baru): "all members of this kelompok attended", the
// number ticked, a fresh uuid made on the device. The form works without this file.
(function () {
  "use strict";
  var form = document.getElementById("form-kegiatan");
  if (!form) { return; }
  var jumlah = document.getElementById("jumlah-peserta");
  function hitung() {
    if (jumlah) { jumlah.textContent = String(form.querySelectorAll("input[name=peserta]:checked").length); }
  }
  form.addEventListener("change", function (e) {
    if (e.target && e.target.name === "peserta") { hitung(); }
  });
  form.querySelectorAll(".semua-kelompok").forEach(function (b) {
    b.addEventListener("click", function () {
      b.closest(".grup-peserta").querySelectorAll("input[name=peserta]").forEach(function (k) { k.checked = true; });
      hitung();
    });
  });
  hitung();
  var kirim = document.getElementById("kirim");
  form.addEventListener("submit", function () {
    if (kirim) { window.setTimeout(function () { kirim.disabled = true; }, 0); }
  });
  window.addEventListener("pageshow", function () { if (kirim) { kirim.disabled = false; } });
}());
