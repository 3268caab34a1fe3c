// Fills in the page from the text the shell hands over (src-tauri/src/startup_error.rs). Text
// only, never HTML: the detail names paths and error messages.
const e = window.__BRICKDESK_STARTUP_ERROR || { title: "BrickDesk could not start.", detail: "" };
document.getElementById("startup-error-title").textContent = e.title;
document.getElementById("startup-error-detail").textContent = e.detail;
