import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yauzl from 'yauzl';

/** Test helpers for rendered documents (not a test file itself). */

/** The entries of a .docx (a zip) by name. */
export async function unzip(buffer: Buffer): Promise<Map<string, Buffer>> {
  const zip = await yauzl.fromBufferPromise(buffer, { lazyEntries: true });
  const out = new Map<string, Buffer>();
  for await (const entry of zip.eachEntry()) {
    if (entry.fileName.endsWith('/')) continue;
    const chunks: Buffer[] = [];
    for await (const c of (await zip.openReadStreamPromise(entry)) as AsyncIterable<Buffer>) chunks.push(c);
    out.set(entry.fileName, Buffer.concat(chunks));
  }
  zip.close();
  return out;
}

/** The text of word/document.xml with the markup removed (runs joined), for `toContain` checks. */
export async function docxText(buffer: Buffer, part = 'word/document.xml'): Promise<string> {
  const xml = (await unzip(buffer)).get(part)?.toString('utf8');
  if (xml === undefined) throw new Error(`no ${part} in the docx`);
  return xml.replace(/<w:tab\/>/g, '\t').replace(/<\/w:p>/g, '\n').replace(/<[^>]+>/g, '');
}

/** Poppler's pdftotext / pdffonts are installed (CI installs poppler-utils; .ci/run). */
export const hasPoppler = spawnSync('pdftotext', ['-v']).status === 0;

function withFile<T>(pdf: Buffer, run: (file: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qibu-pdf-'));
  const file = path.join(dir, 'doc.pdf');
  try {
    fs.writeFileSync(file, pdf);
    return run(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The text pdftotext reads from the PDF (through the fonts' ToUnicode maps, so Chinese must be mapped right). */
export function pdfText(pdf: Buffer): string {
  return withFile(pdf, (f) => execFileSync('pdftotext', ['-enc', 'UTF-8', f, '-'], { encoding: 'utf8' }));
}

export function pdfPages(pdf: Buffer): number {
  const info = withFile(pdf, (f) => execFileSync('pdfinfo', [f], { encoding: 'utf8' }));
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1] ?? 0);
}

/** pdffonts' table: one row per font with its name, type, and whether it is embedded and subset. */
export function pdfFonts(pdf: Buffer): { name: string; type: string; embedded: boolean; subset: boolean; unicode: boolean }[] {
  const out = withFile(pdf, (f) => execFileSync('pdffonts', [f], { encoding: 'utf8' }));
  return out
    .split('\n')
    .slice(2)
    .filter((l) => l.trim())
    .map((l) => {
      const m = /^(\S+)\s+(.+?)\s+(Identity-H|WinAnsi|Custom|Builtin|Standard)\s+(yes|no)\s+(yes|no)\s+(yes|no)/.exec(l);
      if (!m) throw new Error(`pdffonts: cannot read "${l}"`);
      return { name: m[1]!, type: m[2]!, embedded: m[4] === 'yes', subset: m[5] === 'yes', unicode: m[6] === 'yes' };
    });
}
