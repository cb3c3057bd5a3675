// Small progressive enhancements; the app works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Buttons that ask for confirmation before a destructive or irreversible step.
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (event) => {
      if (!window.confirm(el.dataset.confirm)) event.preventDefault();
    });
  });
  // "Print" buttons.
  document.querySelectorAll("[data-print]").forEach((el) => {
    el.addEventListener("click", () => window.print());
  });
});
