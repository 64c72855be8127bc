/* As-you-type suggestions for every search box with a data-suggest URL. Without JavaScript the box is a
   plain form that opens the search page. Titles are inserted as text, never as HTML. */
(function () {
  "use strict";
  var boxes = document.querySelectorAll("input[data-suggest]");
  Array.prototype.forEach.call(boxes, function (input, index) {
    var list = document.createElement("ul");
    var timer = null;
    var asked = "";
    list.className = "search-suggestions";
    list.id = "search-suggestions-" + index;
    list.hidden = true;
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-autocomplete", "list");
    input.parentNode.appendChild(list);

    function show(items) {
      list.textContent = "";
      items.forEach(function (item) {
        var li = document.createElement("li");
        var link = document.createElement("a");
        var kind = document.createElement("span");
        link.href = item.url;
        link.textContent = item.title;
        kind.className = "suggestion-type";
        kind.textContent = " · " + item.type_label;
        link.appendChild(kind);
        li.appendChild(link);
        list.appendChild(li);
      });
      list.hidden = items.length === 0;
    }

    function ask() {
      var text = input.value.trim();
      if (text.length < 2) { show([]); return; }
      if (text === asked) { return; }
      asked = text;
      fetch(input.dataset.suggest + "?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) { if (input.value.trim() === text) { show(data.suggestions || []); } })
        .catch(function () { show([]); });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 200);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { show([]); }
      if (event.key === "ArrowDown" && !list.hidden) {
        event.preventDefault();
        list.querySelector("a").focus();
      }
    });
    list.addEventListener("keydown", function (event) {
      var current = document.activeElement.parentNode;
      if (event.key === "ArrowDown" && current.nextElementSibling) {
        event.preventDefault();
        current.nextElementSibling.querySelector("a").focus();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        (current.previousElementSibling ? current.previousElementSibling.querySelector("a") : input).focus();
      } else if (event.key === "Escape") {
        show([]);
        input.focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (!input.parentNode.contains(event.target)) { show([]); }
    });
  });
})();
