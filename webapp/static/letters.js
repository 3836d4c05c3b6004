// Letter pages: the "Cetak" button of the Lembar Disposisi and the klasifikasi suggestions of
// the registration form.  A file, not inline script: the pages' CSP allows only 'self'.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  var input = document.querySelector("input[data-klasifikasi-url]");
  if (!input || !window.fetch) { return; }
  var list = document.getElementById(input.getAttribute("list"));
  var url = input.getAttribute("data-klasifikasi-url");
  var timer = null;
  var asked = null;
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      var q = input.value.trim();
      if (q === asked) { return; }
      asked = q;
      fetch(url + "?q=" + encodeURIComponent(q), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (rows) {
          if (q !== asked) { return; }
          while (list.firstChild) { list.removeChild(list.firstChild); }
          rows.forEach(function (row) {
            var option = document.createElement("option");
            option.value = row.code;
            option.textContent = row.code + " — " + row.name;
            list.appendChild(option);
          });
        })
        .catch(function () { /* suggestions are a help, not a must */ });
    }, 200);
  });
}());
