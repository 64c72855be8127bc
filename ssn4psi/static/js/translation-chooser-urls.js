/* The chooser addresses wagtail-localize's translation editor reads from window.chooserUrls, taken from this
   script's data attributes (wagtail_localize/admin/edit_translation.html) instead of an inline script. */
(function () {
  "use strict";
  var data = document.currentScript.dataset;
  if (typeof window.chooserUrls === "undefined") {
    window.chooserUrls = {
      imageChooser: data.imageChooser,
      documentChooser: data.documentChooser,
      pageChooser: data.pageChooser,
    };
  }
})();
