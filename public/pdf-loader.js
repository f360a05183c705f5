// Starts the PDF module (a second wasm) in this worker. Fetched only when a PDF is first asked
// for; the service worker keeps it for offline use. Reports download progress to the page, then
// `{ready: true}` once the module listens (src/bin/pdf-worker.rs), or `{failed}`.
importScripts('/pdf-worker.js');

(async () => {
  try {
    const response = await fetch('/pdf-worker_bg.wasm');
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    // Content-Length is the size on the wire; with compression the body is larger, so the page
    // clamps the fraction.
    const total = Number(response.headers.get('Content-Length')) || 0;
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
