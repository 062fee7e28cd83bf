/* The organisation settings' brand preview: follows the colour picker and the name as they
   change, and says whether white text on the colour is readable (WCAG AA, 4.5:1). */
(function () {
  "use strict";
  var preview = document.getElementById("brand-preview");
  if (!preview) { return; }
  var colour = document.getElementById(preview.getAttribute("data-colour-input"));
  var name = document.getElementById(preview.getAttribute("data-name-input"));
  var nameOut = preview.querySelector(".brand-preview-name");
  var verdict = preview.querySelector(".brand-preview-contrast");
  function channel(hex) {
    var c = parseInt(hex, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  }
  function contrastWithWhite(value) {
    var lum = 0.2126 * channel(value.substr(1, 2)) + 0.7152 * channel(value.substr(3, 2)) + 0.0722 * channel(value.substr(5, 2));
    return 1.05 / (lum + 0.05);
  }
  function update() {
    if (colour && /^#[0-9a-fA-F]{6}$/.test(colour.value)) {
      preview.style.setProperty("--primary", colour.value);
      var ratio = contrastWithWhite(colour.value);
      var text = ratio >= 4.5 ? preview.getAttribute("data-readable") : preview.getAttribute("data-too-light");
      verdict.textContent = text + " (" + ratio.toFixed(1).replace(".", document.documentElement.lang === "nl" ? "," : ".") + ":1)";
      verdict.classList.toggle("error", ratio < 4.5);
    }
    if (name && nameOut) { nameOut.textContent = name.value; }
  }
  if (colour) { colour.addEventListener("input", update); }
  if (name) { name.addEventListener("input", update); }
  update();
}());
