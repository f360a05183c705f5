// Reads a QR code with the device's camera: staff at the counter scan the hand-off code a
// citizen shows on their phone or on a printed form. Loaded the first time someone presses
// "Scan with the camera" (src/platform/camera.rs), with jsQR (Apache-2.0, see LICENSE-jsQR.txt)
// to decode the frames: the browser's own BarcodeDetector is missing on most desktops.
//
// scan(prompt, stopLabel) shows the camera's picture full screen with a Stop button and resolves
// to the code's text, or null when stopped; it rejects when there is no camera or no permission.
export async function scan(prompt, stopLabel) {
  const opener = document.activeElement;
  const [stream] = await Promise.all([
    navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false }),
    import('/camera/jsQR.js'),
  ]);
  const decode = self.jsQR;

  const view = document.createElement('div');
  view.className = 'camera-view';
  view.setAttribute('role', 'dialog');
  view.setAttribute('aria-modal', 'true');
  view.setAttribute('aria-label', prompt);
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.setAttribute('aria-hidden', 'true');
  video.srcObject = stream;
  const text = document.createElement('p');
  text.textContent = prompt;
  const stop = document.createElement('button');
  stop.type = 'button';
  stop.className = 'button';
  stop.textContent = stopLabel;
  view.append(video, text, stop);
  // A modal view: the page behind can be neither read nor reached until it closes.
  const behind = [...document.body.children].filter((element) => !element.inert);
  for (const element of behind) element.inert = true;
  document.body.append(view);
  stop.focus();

  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  try {
    await video.play();
    return await new Promise((resolve) => {
      stop.addEventListener('click', () => resolve(null));
      view.addEventListener('keydown', (event) => {
        if (event.key === 'Escape') resolve(null);
        // Stop is the one control here: Tab stays on it rather than leaving the page.
        if (event.key === 'Tab') event.preventDefault();
      });
      const look = () => {
        // The page went away under the camera (a kiosk erasing, say): stop looking.
        if (!view.isConnected) return resolve(null);
        if (video.videoWidth) {
          // At most 640 pixels across: enough for a phone screen's code, light on the CPU.
          const scale = Math.min(1, 640 / video.videoWidth);
          canvas.width = Math.round(video.videoWidth * scale);
          canvas.height = Math.round(video.videoHeight * scale);
          context.drawImage(video, 0, 0, canvas.width, canvas.height);
          const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
          const found = decode(data, canvas.width, canvas.height, { inversionAttempts: 'attemptBoth' });
          if (found?.data) return resolve(found.data);
        }
        // About ten looks a second: quick enough to feel instant, and it leaves the terminal's
        // CPU free for the page (a look at 640 pixels takes jsQR 10–30 ms).
        setTimeout(look, 100);
      };
      look();
    });
  } finally {
    for (const track of stream.getTracks()) track.stop();
    view.remove();
    for (const element of behind) element.inert = false;
    opener?.focus?.();
  }
}
