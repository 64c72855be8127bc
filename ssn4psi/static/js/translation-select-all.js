/* wagtail-localize's "Translate" form: the "select all" box ticks or clears every locale
   (wagtail_localize/admin/submit_translation.html). */
(function () {
  "use strict";
  var selectAll = document.querySelector('[name="select_all"]');
  if (!selectAll) {
    return;
  }
  selectAll.addEventListener("change", function () {
    document.querySelectorAll('[name="locales"]').forEach(function (locale) {
      locale.checked = selectAll.checked;
    });
  });
})();
