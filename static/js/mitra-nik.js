// Mitra form: the NIK is checked while it is typed, by the server's own rules
// (mitra:periksa_nik, the user's scope only). Digits 7-12 hold the birth date (DDMMYY, day
// + 40 for women): they fill the birth date and gender when those are empty or were filled
// from the NIK before; a value the user typed is kept, and the server's warning is shown.
// Without this script the form still works: the same checks run when it is saved.
(function () {
  "use strict";

  var nik = document.getElementById("id_nik");
  var hasil = document.getElementById("nik-hasil");
  var tanggal = document.getElementById("id_tanggal_lahir");
  var kelamin = document.getElementById("id_jenis_kelamin");
  if (!nik || !hasil || !nik.dataset.periksa || !window.fetch) {
    return;
  }
  // which fields hold what the NIK said (and may be replaced when the NIK changes)
  var dariNik = { tanggal: false, kelamin: false };
  var waktu = null;
  var permintaan = 0;

  function teks(nama, isi) {
    var t = nik.dataset[nama] || "";
    Object.keys(isi || {}).forEach(function (k) {
      t = t.split("{" + k + "}").join(isi[k]);
    });
    return t;
  }

  function normal(v) {
    return v.replace(/[\s.\u00a0]/g, "");
  }

  function baris(kelas, isi) {
    var p = document.createElement("div");
    p.className = "small " + kelas;
    p.textContent = isi;
    hasil.append(p);
    return p;
  }

  function tanda(valid) {
    nik.classList.toggle("is-valid", valid === true);
    nik.classList.toggle("is-invalid", valid === false);
    if (valid === false) {
      nik.setAttribute("aria-invalid", "true");
    } else {
      nik.removeAttribute("aria-invalid");
    }
  }

  function isi(d) {
    var terisi = false;
    if (tanggal && d.tanggal_lahir && (!tanggal.value || dariNik.tanggal)) {
      tanggal.value = d.tanggal_lahir;
      dariNik.tanggal = true;
      terisi = true;
    }
    if (kelamin && d.jenis_kelamin && (!kelamin.value || dariNik.kelamin)) {
      kelamin.value = d.jenis_kelamin;
      dariNik.kelamin = true;
      terisi = true;
    }
    return terisi;
  }

  function tampilkan(d) {
    hasil.textContent = "";
    if (!d.valid) {
      tanda(false);
      (d.galat || []).forEach(function (g) {
        baris("text-danger-emphasis", g);
      });
      return;
    }
    var terisi = isi(d);
    tanda(!d.duplikat);
    baris(
      "text-success-emphasis",
      teks("teksCocok", { tanggal: d.tanggal_lahir_teks, jenis_kelamin: d.jenis_kelamin_teks }) +
        (terisi ? " " + teks("teksDiisi") : "")
    );
    (d.peringatan || []).forEach(function (p) {
      baris("text-warning-emphasis fw-semibold", p);
    });
    if (d.duplikat) {
      var p = baris("text-danger-emphasis", d.duplikat.pesan + " ");
      if (d.duplikat.url) {
        var a = document.createElement("a");
        a.href = d.duplikat.url;
        a.id = "nik-duplikat";
        a.textContent = teks("teksBuka", { nama: d.duplikat.nama });
        p.append(a);
      }
    }
  }

  function periksa(paksa) {
    var n = normal(nik.value);
    if (!n) {
      hasil.textContent = "";
      tanda(null);
      return;
    }
    if (!paksa && /^\d*$/.test(n) && n.length < 16) {
      hasil.textContent = "";
      tanda(null);
      baris("text-body-secondary", teks("teksDigit", { n: n.length }));
      return;
    }
    var q = new URLSearchParams({ nik: nik.value });
    if (nik.dataset.kecuali) {
      q.set("kecuali", nik.dataset.kecuali);
    }
    // the user's own values are compared with the NIK; those the NIK filled are not
    if (tanggal && tanggal.value && !dariNik.tanggal) {
      q.set("tanggal_lahir", tanggal.value);
    }
    if (kelamin && kelamin.value && !dariNik.kelamin) {
      q.set("jenis_kelamin", kelamin.value);
    }
    var nomor = ++permintaan;
    fetch(nik.dataset.periksa + "?" + q.toString(), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (r) {
        if (!r.ok) {
          throw new Error(String(r.status));
        }
        return r.json();
      })
      .then(function (d) {
        if (nomor === permintaan) {
          tampilkan(d); // an older answer never overwrites a newer one
        }
      })
      .catch(function () {
        if (nomor === permintaan) {
          hasil.textContent = "";
          tanda(null);
          baris("text-body-secondary", teks("teksGagal"));
        }
      });
  }

  nik.addEventListener("input", function () {
    clearTimeout(waktu);
    waktu = setTimeout(function () {
      periksa(false);
    }, 300);
  });
  nik.addEventListener("change", function () {
    clearTimeout(waktu);
    periksa(true);
  });
  // a value the user chooses is theirs: compare it with the NIK instead of replacing it
  if (tanggal) {
    tanggal.addEventListener("change", function () {
      dariNik.tanggal = false;
      if (normal(nik.value)) {
        periksa(true);
      }
    });
  }
  if (kelamin) {
    kelamin.addEventListener("change", function () {
      dariNik.kelamin = false;
      if (normal(nik.value)) {
        periksa(true);
      }
    });
  }
  // an edit form opens with its NIK checked (its birth date and gender are the user's)
  if (normal(nik.value)) {
    periksa(true);
  }
})();
