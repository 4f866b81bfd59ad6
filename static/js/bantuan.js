// Bantuan pages: small enhancements; every page works without them.
(function () {
  "use strict";

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

  // Recipient search: the page's GET search form (which works alone: it lists the matches
  // as links) becomes a live search. Typing asks bantuan:cari_penerima (JSON, the user's
  // scope only); choosing a match fills the proposal form's hidden mitra/kelompok field.
  var formCari = document.getElementById("form-cari-penerima");
  var masukan = document.getElementById("id_q");
  var idMitra = document.getElementById("id_mitra");
  var idKelompok = document.getElementById("id_kelompok");
  var terpilih = document.getElementById("penerima-terpilih");
  if (!formCari || !masukan || !idMitra || !idKelompok || !terpilih || !window.fetch) {
    return;
  }
  var wadah = document.getElementById("hasil-cari-penerima");
  var daftar = document.createElement("ul");
  daftar.id = "saran-penerima";
  daftar.className = "list-group mt-2 saran-penerima";
  daftar.setAttribute("role", "listbox");
  daftar.setAttribute("aria-label", masukan.labels.length ? masukan.labels[0].textContent : "");
  daftar.hidden = true;
  formCari.after(daftar);
  masukan.setAttribute("role", "combobox");
  masukan.setAttribute("aria-autocomplete", "list");
  masukan.setAttribute("aria-controls", daftar.id);
  masukan.setAttribute("aria-expanded", "false");

  var hasil = [];
  var aktif = -1;
  var waktu = null;
  var permintaan = 0;

  function tutup() {
    daftar.hidden = true;
    daftar.textContent = "";
    masukan.setAttribute("aria-expanded", "false");
    masukan.removeAttribute("aria-activedescendant");
    hasil = [];
    aktif = -1;
  }

  function sorot(i) {
    var opsi = daftar.querySelectorAll("[role=option]");
    opsi.forEach(function (el, j) {
      el.setAttribute("aria-selected", j === i ? "true" : "false");
      el.classList.toggle("active", j === i);
    });
    aktif = i;
    if (i >= 0 && opsi[i]) {
      masukan.setAttribute("aria-activedescendant", opsi[i].id);
      opsi[i].scrollIntoView({ block: "nearest" });
    } else {
      masukan.removeAttribute("aria-activedescendant");
    }
  }

  function pilih(r) {
    idMitra.value = r.jenis === "mitra" ? String(r.id) : "";
    idKelompok.value = r.jenis === "kelompok" ? String(r.id) : "";
    terpilih.classList.remove("alert-secondary");
    terpilih.classList.add("alert-success");
    terpilih.textContent = "";
    terpilih.append(terpilih.dataset.label || "Penerima", ": ");
    var kuat = document.createElement("strong");
    kuat.textContent = r.nama;
    terpilih.append(kuat, " (" + r.keterangan + ")");
    if (wadah) {
      wadah.textContent = "";
    }
    tutup();
    var berikut = document.getElementById("id_jenis");
    if (berikut) {
      berikut.focus();
    }
  }

  function tampilkan(data) {
    daftar.textContent = "";
    hasil = data.hasil || [];
    if (!hasil.length) {
      var kosong = document.createElement("li");
      kosong.className = "list-group-item text-muted";
      kosong.textContent = formCari.dataset.kosong || "";
      daftar.append(kosong);
    }
    hasil.forEach(function (r, i) {
      var li = document.createElement("li");
      li.id = "saran-" + i;
      li.className = "list-group-item list-group-item-action";
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      var nama = document.createElement("strong");
      nama.textContent = r.nama;
      var ket = document.createElement("span");
      ket.className = "d-block small";
      ket.textContent = r.keterangan;
      li.append(nama, ket);
      li.addEventListener("mousedown", function (e) {
        e.preventDefault(); // keep the focus in the input until the choice is made
      });
      li.addEventListener("click", function () {
        pilih(r);
      });
      daftar.append(li);
    });
    daftar.hidden = false;
    masukan.setAttribute("aria-expanded", "true");
    aktif = -1;
  }

  function cari() {
    var kata = masukan.value.trim();
    if (kata.length < 2) {
      tutup();
      return;
    }
    var nomor = ++permintaan;
    var url = formCari.dataset.url + "?q=" + encodeURIComponent(kata);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        return r.ok ? r.json() : { hasil: [] };
      })
      .then(function (data) {
        if (nomor === permintaan) {
          tampilkan(data); // an older, slower answer never overwrites a newer one
        }
      })
      .catch(function () {
        tutup(); // offline: the search button still submits the form
      });
  }

  masukan.addEventListener("input", function () {
    clearTimeout(waktu);
    waktu = setTimeout(cari, 250);
  });
  masukan.addEventListener("keydown", function (e) {
    if (daftar.hidden || !hasil.length) {
      return;
    }
    if (e.key === "ArrowDown") {
      e.preventDefault();
      sorot(Math.min(aktif + 1, hasil.length - 1));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      sorot(Math.max(aktif - 1, 0));
    } else if (e.key === "Enter" && aktif >= 0) {
      e.preventDefault();
      pilih(hasil[aktif]);
    } else if (e.key === "Escape") {
      tutup();
    }
  });
  masukan.addEventListener("blur", function () {
    setTimeout(tutup, 150);
  });
})();
