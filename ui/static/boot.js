// Loads the wasm UI built by wasm-bindgen (--target web). Kept out of index.html so the CSP
// needs no inline script.
import init from "./ui.js";
init();
