/* Disclosure menus (the mobile menu, the account menu): a button with aria-expanded and
   aria-controls opens and closes its panel; Escape closes it and returns focus to the button,
   a click elsewhere closes it. Without JavaScript every panel simply stays open. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var buttons = document.querySelectorAll("[data-disclosure]");
  function panelOf(button) { return document.getElementById(button.getAttribute("aria-controls")); }
  function setOpen(button, open) {
    var panel = panelOf(button);
    if (!panel) { return; }
    button.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) { panel.setAttribute("data-open", ""); } else { panel.removeAttribute("data-open"); }
  }
  Array.prototype.forEach.call(buttons, function (button) {
    button.hidden = false;
    setOpen(button, false);
    button.addEventListener("click", function (event) {
      event.stopPropagation();
      setOpen(button, button.getAttribute("aria-expanded") !== "true");
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    Array.prototype.forEach.call(buttons, function (button) {
      var panel = panelOf(button);
      if (button.getAttribute("aria-expanded") === "true" && panel && (panel.contains(document.activeElement) || document.activeElement === button)) {
        setOpen(button, false);
        button.focus();
      }
    });
  });
  document.addEventListener("click", function (event) {
    Array.prototype.forEach.call(buttons, function (button) {
      var panel = panelOf(button);
      if (button.hasAttribute("data-close-outside") && panel && !panel.contains(event.target)) {
        setOpen(button, false);
      }
    });
  });
}());
