// A button that takes something away asks first: data-confirmer is the question. Yes:
// the button is sent with its data-oui value. Without this file the server asks on a page.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-confirmer]") : null;
    if (!button) { return; }
    if (!window.confirm(button.getAttribute("data-confirmer"))) {
      event.preventDefault();
      return;
    }
    button.value = button.getAttribute("data-oui");
  });
}());
