// Print buttons without inline handlers (the portal may send a Content-Security-Policy).
document.querySelectorAll("[data-print]").forEach((b) => b.addEventListener("click", () => window.print()));
