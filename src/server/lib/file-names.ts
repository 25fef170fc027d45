/** Control, C1 and bidirectional-override characters: invisible in a name, and able to disguise "gpj.exe" as "exe.jpg". */
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * An uploader's file name as kept for display and download: no directories (browsers may send C:\fakepath\…),
 * no hidden characters, NFC, at most 200 characters keeping the extension; `fallback` when nothing is left.
 */
export function cleanFileName(raw: string | undefined, fallback = 'file'): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  let name = base.normalize('NFC').replace(HIDDEN, '').trim();
  if (name.length > 200) {
    const dot = name.lastIndexOf('.');
    const tail = dot > 0 && name.length - dot <= 11 ? name.slice(dot) : '';
    name = name.slice(0, 200 - tail.length) + tail;
  }
  return name === '' || name === '.' || name === '..' ? fallback : name;
}

/** `inline`/`attachment` with an ASCII fallback name and the real name in RFC 5987 form (filename*=UTF-8''…). */
export function contentDisposition(disposition: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%;]/g, '_') || 'file';
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
