// Reads the parts of an MHTML file (RFC 2557, as Chrome's
// pageCapture.saveAsMHTML writes it) by their Content-Location, so the
// single-file HTML copy can take the page's images, fonts and style sheets
// from the browser's own copy instead of asking the servers again.
//
// Our own reader, on purpose: only multipart/related with base64,
// quoted-printable, 7bit, 8bit or binary parts is needed, and the general
// MIME libraries on npm are mail parsers many times the size of this.

/**
 * @typedef {{mime: string, bytes: Uint8Array}} MhtmlPart
 */

const latin1 = new TextDecoder('latin1');

/**
 * The parts of an MHTML file by URL (the first part for a URL wins).
 * @param {Uint8Array} data
 * @returns {Map<string, MhtmlPart>}
 */
export function mhtmlParts(data) {
  const text = latin1.decode(data);
  const headEnd = text.search(/\r?\n\r?\n/);
  if (headEnd < 0) return new Map();
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(unfold(text.slice(0, headEnd)))?.[1];
  if (!boundary) return new Map();
  /** @type {Map<string, MhtmlPart>} */
  const out = new Map();
  const marker = `--${boundary}`;
  let pos = text.indexOf(marker, headEnd);
  while (pos >= 0) {
    const start = text.indexOf('\n', pos) + 1;
    if (start <= 0 || text.startsWith('--', pos + marker.length)) break;
    const next = text.indexOf(`\n${marker}`, start);
    const end = next < 0 ? text.length : next;
    const sep = /\r?\n\r?\n/.exec(text.slice(start, Math.min(end, start + 16384)));
    if (sep) {
      const headers = parseHeaders(text.slice(start, start + sep.index));
      const bodyStart = start + sep.index + sep[0].length;
      const bodyEnd = end > bodyStart && text[end - 1] === '\r' ? end - 1 : end;
      const url = headers.get('content-location');
      if (url && !out.has(url)) {
        const mime = (headers.get('content-type') ?? 'application/octet-stream').split(';')[0].trim().toLowerCase();
        out.set(url, { mime, bytes: decode(data, text, bodyStart, bodyEnd, (headers.get('content-transfer-encoding') ?? 'binary').toLowerCase()) });
      }
    }
    pos = next < 0 ? -1 : next + 1;
  }
  return out;
}

/** Joins folded header lines. @param {string} s */
function unfold(s) {
  return s.replace(/\r?\n[ \t]+/g, ' ');
}

/** @param {string} block */
function parseHeaders(block) {
  const out = new Map();
  for (const line of unfold(block).split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) out.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  return out;
}

/**
 * @param {Uint8Array} data
 * @param {string} text   data as latin1 (same offsets)
 * @param {number} from
 * @param {number} to
 * @param {string} encoding
 */
function decode(data, text, from, to, encoding) {
  if (encoding === 'base64') {
    const s = atob(text.slice(from, to).replace(/[^A-Za-z0-9+/=]/g, ''));
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  }
  if (encoding === 'quoted-printable') {
    const body = text.slice(from, to).replace(/=\r?\n/g, '');
    const out = new Uint8Array(body.length);
    let n = 0;
    for (let i = 0; i < body.length; i++) {
      const c = body.charCodeAt(i);
      if (c === 0x3d && /^[0-9A-Fa-f]{2}$/.test(body.slice(i + 1, i + 3))) {
        out[n++] = parseInt(body.slice(i + 1, i + 3), 16);
        i += 2;
      } else out[n++] = c;
    }
    return out.slice(0, n);
  }
  return data.slice(from, to);
}
