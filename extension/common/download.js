// Saving a file from one of the extension's own pages (panel, popup): a link
// to a blob URL, clicked. No `downloads` permission is needed for that.

/**
 * @param {string} filename
 * @param {string} mime
 * @param {string} text
 */
export function download(filename, mime, text) {
  downloadBlob(filename, new Blob([text], { type: mime }));
}

/**
 * @param {string} filename
 * @param {Blob} blob
 */
export function downloadBlob(filename, blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started from the URL by then; a minute is generous.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
