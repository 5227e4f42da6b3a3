/* Page start-up under the Content-Security-Policy (no inline scripts): DKFDS components and
   the print links. */
(function () {
  "use strict";
  if (window.DKFDS) { window.DKFDS.init(); }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".js-print");
    if (link) { event.preventDefault(); window.print(); }
  });
})();
