// Files fetched only when a feature first needs them (procedures, forms, news, the working plan, the station's published answers, the PDF
// engine, its fonts, the camera's QR reader): not precached by the service worker at install (it caches them in the
// background once the app runs, see sw.js) and not counted in the first-load budget. One rule for both, so they cannot disagree.
export function isOnDemand(path) {
  if (otherBundle(path)) return false;
  const file = path.replace(/^\//, '');
  const onFirstUse = ['data/procedures.json', 'data/forms.json', 'data/news.json', 'data/schedule.json', 'data/answers.json'];
  return onFirstUse.includes(file) || file.startsWith('fonts/') || file.startsWith('pdf') || file.startsWith('camera/') || /\.(ttf|otf|woff2?)$/.test(file);
}

// The app's other bundles (src/platform/bundles.rs), each the whole app plus pages most visits
// never open: 'station' (staff desk, check-in terminal, kiosk; src/bin/station-desk.rs) and
// 'forms' (the form pages; src/bin/forms-bundle.rs), 'ticket' (a queue ticket on a phone;
// src/bin/ticket-bundle.rs). Fetched only on those pages and kept once
// used, so never precached, never fetched in the background, and not part of a first load.
export function otherBundle(path) {
  const file = path.replace(/^\//, '');
  if (file.startsWith('station-desk')) return 'station';
  if (file.startsWith('forms-bundle')) return 'forms';
  if (file.startsWith('ticket-bundle')) return 'ticket';
  return null;
}

// The other pages drawn ahead (src/ui/prerender.rs; services/…/index.html and the like): each is
// fetched when a citizen opens its address, never precached (the service worker keeps a page
// once opened, and offline an address not kept gets shell.html). The home page, index.html, is
// the first load itself.
export function isOtherPage(path) {
  const file = path.replace(/^\//, '');
  return file.endsWith('/index.html');
}
