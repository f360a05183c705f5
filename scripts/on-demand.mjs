// Files fetched only when a feature first needs them (procedures, forms, news, the working plan, the PDF
// engine, its fonts, the camera's QR reader): not precached by the service worker at install (it caches them in the
// background once the app runs, see sw.js) and not counted in the first-load budget. One rule for both, so they cannot disagree.
export function isOnDemand(path) {
  if (isStationOnly(path)) return false;
  const file = path.replace(/^\//, '');
  const onFirstUse = ['data/procedures.json', 'data/forms.json', 'data/news.json', 'data/schedule.json'];
  return onFirstUse.includes(file) || file.startsWith('fonts/') || file.startsWith('pdf') || file.startsWith('camera/') || /\.(ttf|otf|woff2?)$/.test(file);
}

// The station bundle (staff desk, check-in terminal; src/bin/station-desk.rs): fetched only on
// those pages, so never precached, never fetched in the background for a citizen, and not part
// of a citizen's first load.
export function isStationOnly(path) {
  return path.replace(/^\//, '').startsWith('station-desk');
}
