/* Wagtail's widget initialisers, run from this file instead of inline scripts (ssn4psi/admin_scripts.py).

   The server writes each of Wagtail's inline calls, such as new PageChooser("id_member", {...}), as
   <script type="application/json" data-wagtail-init="PageChooser" data-wagtail-init-new>["id_member", {...}]</script>
   This makes the call: for the blocks of the page once it is parsed, in their order, then for the blocks Wagtail
   inserts later (a new inline form, a chooser modal), as they arrive. */
(function () {
  "use strict";

  // The functions and constructors a block may name (as INITIALISER in ssn4psi/admin_scripts.py).
  var INITIALISER = /^(?:InlinePanel|MultipleChooserPanel|init(?:Date|Time|DateTime)Chooser|[A-Z][A-Za-z]*Chooser)$/;
  var SELECTOR = 'script[type="application/json"][data-wagtail-init]';
  var started = new WeakSet();

  function run(block) {
    if (started.has(block)) {
      return;
    }
    started.add(block);
    var name = block.getAttribute("data-wagtail-init");
    var target = window[name];
    if (!INITIALISER.test(name) || typeof target !== "function") {
      console.error("Wagtail initialiser not found: " + name);
      return;
    }
    var args = JSON.parse(block.textContent);
    if (block.hasAttribute("data-wagtail-init-new")) {
      Reflect.construct(target, args);
    } else {
      target.apply(window, args);
    }
  }

  function runWithin(node) {
    if (node.nodeType !== Node.ELEMENT_NODE) {
      return;
    }
    if (node.matches(SELECTOR)) {
      run(node);
    } else {
      node.querySelectorAll(SELECTOR).forEach(run);
    }
  }

  function start() {
    document.querySelectorAll(SELECTOR).forEach(run);
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        mutation.addedNodes.forEach(runWithin);
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
