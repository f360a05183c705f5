// Starts the PDF module (a second wasm) in this worker. Fetched only when a PDF is first asked
// for; the service worker keeps it for offline use. Reports download progress to the page, then
// `{ready: true}` once the module listens (src/bin/pdf-worker.rs), or `{failed}`.
importScripts('/pdf-worker.js');

const PDF_MODULE_BYTES = 0;

(async () => {
  try {
    const response = await fetch('/pdf-worker_bg.wasm');
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    // The module's size as built (filled in by scripts/externalize-loader.mjs): Content-Length
    // is the compressed size on the wire, smaller than the bytes read here.
    const total = PDF_MODULE_BYTES || Number(response.headers.get('Content-Length')) || 0;
    const reader = response.body.getReader();
    const chunks = [];
    let loaded = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded += value.length;
      postMessage({ progress: loaded, total });
    }
    const bytes = new Uint8Array(loaded);
    let at = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, at);
      at += chunk.length;
    }
    await wasm_bindgen({ module_or_path: bytes });
  } catch (error) {
    postMessage({ failed: String(error) });
  }
})();
