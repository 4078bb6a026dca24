// The print buttons: no inline handlers, so the pages can forbid inline scripts.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
