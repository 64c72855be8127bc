/* Check-in at the door: filter the list as one types (the search form works without it). */
(function () {
  var box = document.getElementById("check-in-q"), list = document.getElementById("check-in-list");
  if (!box || !list) return;
  box.addEventListener("input", function () {
    var q = box.value.trim().toLowerCase();
    list.querySelectorAll("li").forEach(function (li) { li.hidden = q && li.dataset.name.indexOf(q) === -1; });
  });
})();
