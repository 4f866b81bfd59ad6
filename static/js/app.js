// Klaster Mandiri: small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // The navigation marks the page the user is on (the menu itself is cached per role).
  var jalur = location.pathname;
  var terbaik = null;
  document.querySelectorAll(".navbar-km .navbar-nav a.nav-link").forEach(function (a) {
    var href = a.getAttribute("href") || "";
    if (href === "/" ? jalur === "/" : jalur.indexOf(href) === 0) {
      if (!terbaik || href.length > terbaik.getAttribute("href").length) { terbaik = a; }
    }
  });
  if (terbaik) { terbaik.setAttribute("aria-current", "page"); }

  // A table wider than the screen scrolls inside its frame: let the keyboard reach it too.
  function bingkai() {
    document.querySelectorAll(".table-responsive").forEach(function (d) {
      if (d.scrollWidth > d.clientWidth + 1) {
        if (!d.hasAttribute("tabindex")) {
          d.setAttribute("tabindex", "0");
          d.setAttribute("role", "region");
          var t = d.querySelector("table");
          var judul = t && (t.getAttribute("aria-label") || (t.caption && t.caption.textContent));
          if (!judul) {
            var h = d.previousElementSibling;
            while (h && !/^H[1-6]$/.test(h.tagName)) { h = h.previousElementSibling; }
            judul = h ? h.textContent : document.title;
          }
          d.setAttribute("aria-label", (judul || "").trim());
        }
      } else if (d.getAttribute("role") === "region" && d.getAttribute("tabindex") === "0") {
        d.removeAttribute("tabindex");
        d.removeAttribute("role");
        d.removeAttribute("aria-label");
      }
    });
  }
  bingkai();
  window.addEventListener("resize", bingkai);

  // A link to a part folded in <details> ("Kelompok saya" on the home) opens it.
  function bukaLipatan() {
    var id = decodeURIComponent(location.hash.slice(1));
    var sasaran = id && document.getElementById(id);
    var lipat = sasaran && sasaran.closest("details");
    if (lipat && !lipat.open) {
      lipat.open = true;
      sasaran.scrollIntoView();
    }
  }
  window.addEventListener("hashchange", bukaLipatan);
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest("a[href^='#']");
    if (a) { setTimeout(bukaLipatan, 0); }
  });
  bukaLipatan();
}());
