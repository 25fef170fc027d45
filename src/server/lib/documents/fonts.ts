import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The Chinese fonts the PDF renderer embeds (subset: only the glyphs used). Word files name fonts instead (仿宋,
 * 方正小标宋简体, 黑体, 楷体) and Word or WPS draws them with the reader's own.
 *
 * Where they come from, first found wins:
 * 1. the npm package `@expo-google-fonts/noto-serif-sc` (a dependency, OFL-1.1): Noto Serif SC as static TrueType
 *    (Regular, Bold, Black), so `npm install && npm start` makes PDFs on any machine. TrueType subsets small and
 *    fast: a one-page notice is ~40 kB.
 * 2. the system's Noto Serif CJK (Debian/Ubuntu `fonts-noto-cjk`, Alpine `font-noto-cjk`), an OpenType/CFF
 *    collection: works, but the PDF is ~4× larger and slower to make.
 * Neither present: `cjkFonts()` throws an error naming both ways to get one.
 */

export type FontRole = 'regular' | 'bold' | 'heavy';

/** A font parsed by fontkit (pdfkit's font engine): what pdfkit's registerFont also accepts instead of bytes. */
export interface ParsedFont {
  layout: (...args: never[]) => unknown;
  postscriptName: string;
}

export interface FontFace {
  /** The file's bytes (read once, kept for the process). */
  data: Buffer;
  /** For a font collection (.ttc): the PostScript name of the face to use. */
  face?: string;
  file: string;
  /**
   * The face parsed once and shared by every PDF: parsing per document costs little for the TrueType fonts but
   * seconds for the CFF collections (measured: 4 s → 0.2 s per notice with Debian's fonts).
   */
  parsed?: ParsedFont;
}

/** fontkit, as pdfkit itself resolves it (a dependency of pdfkit, not of ours): null when it cannot be loaded. */
function loadFontkit(): { create(data: Uint8Array, postscriptName?: string): ParsedFont } | null {
  try {
    const fromPdfkit = createRequire(createRequire(import.meta.url).resolve('pdfkit'));
    return fromPdfkit('fontkit') as { create(data: Uint8Array, postscriptName?: string): ParsedFont };
  } catch {
    return null;
  }
}

function parse(face: FontFace): FontFace {
  const fontkit = loadFontkit();
  if (!fontkit) return face;
  try {
    return { ...face, parsed: fontkit.create(face.data, face.face) };
  } catch {
    // pdfkit parses the bytes itself and reports what is wrong with them.
    return face;
  }
}

export interface CjkFonts {
  source: 'npm' | 'system';
  faces: Record<FontRole, FontFace>;
}

const NPM_PACKAGE = '@expo-google-fonts/noto-serif-sc';
const NPM_FILES: Record<FontRole, string> = {
  regular: '400Regular/NotoSerifSC_400Regular.ttf',
  bold: '700Bold/NotoSerifSC_700Bold.ttf',
  heavy: '900Black/NotoSerifSC_900Black.ttf',
};

/** Directories where distributions put Noto CJK collections. */
const SYSTEM_DIRS = ['/usr/share/fonts/opentype/noto', '/usr/share/fonts/noto-cjk', '/usr/share/fonts/noto', '/usr/share/fonts/google-noto-cjk', '/usr/local/share/fonts'];
const SYSTEM_FILES: Record<FontRole, [file: string, face: string][]> = {
  regular: [['NotoSerifCJK-Regular.ttc', 'NotoSerifCJKsc-Regular'], ['NotoSansCJK-Regular.ttc', 'NotoSansCJKsc-Regular']],
  bold: [['NotoSerifCJK-Bold.ttc', 'NotoSerifCJKsc-Bold'], ['NotoSansCJK-Bold.ttc', 'NotoSansCJKsc-Bold'], ['NotoSerifCJK-Regular.ttc', 'NotoSerifCJKsc-Regular']],
  heavy: [['NotoSerifCJK-Black.ttc', 'NotoSerifCJKsc-Black'], ['NotoSerifCJK-Bold.ttc', 'NotoSerifCJKsc-Bold'], ['NotoSansCJK-Bold.ttc', 'NotoSansCJKsc-Bold']],
};

export class MissingFontError extends Error {
  constructor() {
    super(
      `No Chinese font for PDF documents: run \`npm install\` (it brings ${NPM_PACKAGE}), or install the system's Noto CJK fonts (Debian/Ubuntu: apt-get install fonts-noto-cjk; Alpine: apk add font-noto-cjk).`,
    );
    this.name = 'MissingFontError';
  }
}

function npmFaces(): Record<FontRole, FontFace> | null {
  let dir: string;
  try {
    dir = path.dirname(createRequire(import.meta.url).resolve(`${NPM_PACKAGE}/package.json`));
  } catch {
    return null;
  }
  const files = Object.fromEntries(Object.entries(NPM_FILES).map(([role, rel]) => [role, path.join(dir, rel)])) as Record<FontRole, string>;
  if (!Object.values(files).every((f) => fs.existsSync(f))) return null;
  const load = (file: string): FontFace => parse({ data: fs.readFileSync(file), file });
  return { regular: load(files.regular), bold: load(files.bold), heavy: load(files.heavy) };
}

function systemFaces(dirs: readonly string[]): Record<FontRole, FontFace> | null {
  const files = new Map<string, Buffer>();
  const faces = new Map<string, FontFace>();
  const find = (role: FontRole): FontFace | null => {
    for (const [name, face] of SYSTEM_FILES[role]) {
      for (const dir of dirs) {
        const file = path.join(dir, name);
        if (!fs.existsSync(file)) continue;
        if (!files.has(file)) files.set(file, fs.readFileSync(file));
        const key = `${file}#${face}`;
        if (!faces.has(key)) faces.set(key, parse({ data: files.get(file)!, face, file }));
        return faces.get(key)!;
      }
    }
    return null;
  };
  const regular = find('regular');
  if (!regular) return null;
  return { regular, bold: find('bold') ?? regular, heavy: find('heavy') ?? find('bold') ?? regular };
}

let loaded: CjkFonts | undefined;

/**
 * The fonts for PDFs, found once per process (the files are read into memory: ~45 MB for the npm fonts). Throws
 * `MissingFontError` when there are none. `prefer: 'system'` skips the npm package (tests of the fallback).
 */
export function cjkFonts(opts: { prefer?: 'npm' | 'system'; systemDirs?: readonly string[] } = {}): CjkFonts {
  if (opts.prefer === 'system' || opts.systemDirs) {
    const faces = systemFaces(opts.systemDirs ?? SYSTEM_DIRS);
    if (!faces) throw new MissingFontError();
    return { source: 'system', faces };
  }
  if (loaded) return loaded;
  const npm = npmFaces();
  if (npm) return (loaded = { source: 'npm', faces: npm });
  const system = systemFaces(SYSTEM_DIRS);
  if (system) return (loaded = { source: 'system', faces: system });
  throw new MissingFontError();
}

/** Which fonts PDFs would use, or why there are none (for a start-up log line or a health check). */
export function cjkFontStatus(): { ok: true; source: 'npm' | 'system'; file: string } | { ok: false; message: string } {
  try {
    const f = cjkFonts();
    return { ok: true, source: f.source, file: f.faces.regular.file };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}
