// The outgoing draft page (templates/letters/draft.html, revise.html): the body prefilled from
// the jenis's template, the recipient rows (a unit for an internal one, a name for an outside
// one; "Tambah penerima" adds a row), and the signer list with its paraf chain, asked again
// from the server whenever the jenis, a recipient, a koordinasi unit or the signer changes.
// Without script the page works too: "Periksa penandatangan" and "Tambah penerima" re-render it.
(function () {
  "use strict";
  var form = document.getElementById("draft-form");
  if (!form || !window.fetch) { return; }
  var section = document.getElementById("signer-section");
  var rows = document.getElementById("party-rows");
  var body = document.getElementById("body");
  var jenis = document.getElementById("jenis");
  var lastTemplate = body ? body.value : "";
  var timer = null;

  function showKind(row) {
    var kind = row.querySelector("[data-party=kind]");
    var internal = !kind || kind.value === "internal";
    row.querySelector(".party-unit").hidden = !internal;
    row.querySelector(".party-name").hidden = internal;
  }

  function refreshSigner() {
    if (!section) { return; }
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, key) {
        if (typeof value === "string" && key !== "csrf_token" && key !== "aksi") { params.append(key, value); }
      });
      if (section.dataset.letter) { params.set("letter", section.dataset.letter); }
      fetch(section.dataset.url + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) { if (html !== null) { section.innerHTML = html; } })
        .catch(function () { /* the button still re-renders the page */ });
    }, 150);
  }

  function renumber(row, index) {
    row.dataset.index = String(index);
    row.querySelectorAll("[name]").forEach(function (el) {
      el.name = el.name.replace(/^parties-\d+-/, "parties-" + index + "-");
      el.id = el.id.replace(/^parties-\d+-/, "parties-" + index + "-");
    });
  }

  if (rows) {
    rows.querySelectorAll(".party-row").forEach(showKind);
    rows.addEventListener("change", function (event) {
      var row = event.target.closest(".party-row");
      if (row) { showKind(row); }
      refreshSigner();
    });
    rows.addEventListener("input", function (event) {
      if (event.target.dataset.party === "name") { refreshSigner(); }
    });
    var add = document.getElementById("add-party");
    if (add) {
      add.addEventListener("click", function (event) {
        event.preventDefault();
        var all = rows.querySelectorAll(".party-row");
        var last = all[all.length - 1];
        var copy = last.cloneNode(true);
        renumber(copy, all.length);
        copy.querySelectorAll("input").forEach(function (el) { el.value = ""; });
        copy.querySelectorAll("select").forEach(function (el) {
          el.selectedIndex = el.dataset.party === "unit" ? 0 : el.selectedIndex;
        });
        copy.querySelectorAll(".error").forEach(function (el) { el.remove(); });
        rows.appendChild(copy);
        showKind(copy);
      });
    }
  }

  ["koordinasi"].forEach(function (id) {
    var el = document.getElementById(id);
    if (el) { el.addEventListener("change", refreshSigner); }
  });
  if (section) {
    section.addEventListener("change", function (event) {
      if (event.target.name === "signer") { refreshSigner(); }
    });
  }
  if (jenis) {
    jenis.addEventListener("change", function () {
      refreshSigner();
      if (!body || !form.dataset.templateUrl) { return; }
      fetch(form.dataset.templateUrl + "?jenis=" + encodeURIComponent(jenis.value), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (found) {
          if (!found) { return; }
          if (body.value.trim() === "" || body.value === lastTemplate) { body.value = found.body; }
          lastTemplate = found.body;
        })
        .catch(function () { /* the konseptor can still write the body */ });
    });
  }
}());
