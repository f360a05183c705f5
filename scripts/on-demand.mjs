// Files fetched only when a feature first needs them (forms, the PDF engine, its fonts): not
// precached by the service worker at the first visit (it caches them on first use) and not
// counted in the first-load budget. One rule for both, so they cannot disagree.
export function isOnDemand(path) {
  const file = path.replace(/^\//, '');
  return file === 'data/forms.json' || file.startsWith('fonts/') || file.startsWith('pdf') || /\.(ttf|otf|woff2?)$/.test(file);
}
