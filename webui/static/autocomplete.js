// Autocomplete of issuers and document numbers for the search box (no inline script: CSP).
(function () {
  "use strict";
  var input = document.querySelector("input[data-autocomplete]");
  if (!input || !window.fetch) { return; }
  var list = document.getElementById(input.getAttribute("list"));
  var endpoint = input.getAttribute("data-autocomplete");
  var timer = null;
  var last = "";

  // What to complete: a coquan:/so: filter being typed, a number, or the whole box as an issuer.
  function target(value) {
    var m = /^(.*?)(coquan|so):"?([^"]*)$/i.exec(value);
    if (m) {
      return { head: m[1] + m[2] + ':"', prefix: m[3], tail: '"',
               field: m[2].toLowerCase() === "so" ? "reference" : "issuer" };
    }
    if (/^\d/.test(value)) { return { head: "", prefix: value, tail: "", field: "reference" }; }
    return { head: 'coquan:"', prefix: value, tail: '"', field: "issuer" };
  }

  function show(t, names) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    names.forEach(function (name) {
      var option = document.createElement("option");
      option.value = t.head + name + t.tail;
      list.appendChild(option);
    });
  }

  function update() {
    var value = input.value;
    if (value === last) { return; }
    last = value;
    var t = target(value);
    if (t.prefix.trim().length < 2) { show(t, []); return; }
    var url = endpoint + "?field=" + t.field + "&q=" + encodeURIComponent(t.prefix.trim());
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (names) { if (input.value === value) { show(t, names); } })
      .catch(function () {});
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 150);
  });
}());
