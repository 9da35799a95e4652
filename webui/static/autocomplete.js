// Autocomplete of issuers and document numbers under the search box (a file, not inline: CSP).
// Suggestions come from /api/goi-y, which matches without diacritics ("so tt" → "Sở TT&TT").
(function () {
  "use strict";
  var input = document.querySelector("input[data-autocomplete]");
  if (!input || !window.fetch) { return; }
  var endpoint = input.getAttribute("data-autocomplete");
  var list = document.createElement("ul");
  list.id = "goi-y";
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.hidden = true;
  input.parentNode.appendChild(list);
  input.setAttribute("aria-controls", "goi-y");
  input.setAttribute("aria-autocomplete", "list");
  var timer = null, last = "", active = -1;

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

  function close() { list.hidden = true; active = -1; input.setAttribute("aria-expanded", "false"); }

  function choose(value) {
    input.value = value;
    close();
    input.form.submit();
  }

  function show(t, names) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    names.forEach(function (name) {
      var item = document.createElement("li");
      item.setAttribute("role", "option");
      item.textContent = name;  // text, never HTML
      item.addEventListener("mousedown", function (event) {
        event.preventDefault();
        choose(t.head + name + t.tail);
      });
      item.dataset.value = t.head + name + t.tail;
      list.appendChild(item);
    });
    active = -1;
    list.hidden = names.length === 0;
    input.setAttribute("aria-expanded", String(!list.hidden));
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
      .catch(function () { show(t, []); });
  }

  function move(step) {
    var items = list.children;
    if (list.hidden || !items.length) { return; }
    if (active >= 0) { items[active].classList.remove("active"); }
    active = (active + step + items.length) % items.length;
    items[active].classList.add("active");
    items[active].setAttribute("aria-selected", "true");
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 150);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
    else if (event.key === "Escape") { close(); }
    else if (event.key === "Enter" && active >= 0 && !list.hidden) {
      event.preventDefault();
      choose(list.children[active].dataset.value);
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 100); });
}());
