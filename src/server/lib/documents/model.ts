/**
 * A small model of a printable official document (公文-style, after GB/T 9704), rendered to Word by `renderDocx`
 * and to PDF by `renderPdf`. Modules build a `DocumentSpec` from their data; the renderers own every measure and
 * font, so all documents of the platform look alike. See docs/documents.md.
 */

/** A run of text inside a paragraph. */
export interface TextRun {
  text: string;
  bold?: boolean;
  underline?: boolean;
  /** RRGGBB without '#'. */
  color?: string;
}
export type Inline = string | TextRun;

export interface Masthead {
  /**
   * 发文机关标志: the issuing body (and the kind of document), red, large, centered — 崔寨片区建设指挥部交办单,
   * 起步区管委会会议纪要, 工作简报. The size shrinks to fit one line.
   */
  text: string;
  /** Centered under it, above the red rule: 发文字号 (起步指挥交〔2026〕12号) or 期号 (第12期). */
  number?: string;
  /** One line above the red rule with text at both ends (简报: 编发单位 … 日期). */
  left?: string;
  right?: string;
}

/** A PNG shown at a given width; the height follows from the picture's own proportions. */
export interface Picture {
  png: Buffer;
  widthMm: number;
  /** Small text under it (扫码查看问题详情). */
  caption?: string;
}

/** One label–value pair of a key–value table. */
export interface Field {
  label: string;
  /** Several strings are several paragraphs in the cell. Empty or null: a blank cell to fill in by hand. */
  value?: string | readonly string[] | null;
  /** At least this many lines of height (room to write by hand when blank). */
  minLines?: number;
}

/** A row of a key–value table: one field across the whole width, or two side by side. */
export type FieldRow = Field | readonly [Field, Field];

export interface TableColumn {
  header: string;
  /** Relative width (default 1). */
  weight?: number;
  align?: 'left' | 'center' | 'right';
}

export type Block =
  /** 一级标题 (黑体), 二级 (楷体), 三级 (仿宋 bold). Numbering (一、（一）1.) is part of the text. */
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  /** Body text, 3号 仿宋; first line indented two characters unless `indent: false`. */
  | { kind: 'paragraph'; text: Inline | readonly Inline[]; align?: 'left' | 'center' | 'right'; indent?: boolean }
  /** A key–value table (label cells shaded). */
  | { kind: 'fields'; rows: readonly FieldRow[] }
  /** A bordered table with a header row repeated on each page. */
  | { kind: 'table'; columns: readonly TableColumn[]; rows: readonly (readonly string[])[] }
  | ({ kind: 'image'; align?: 'left' | 'center' | 'right' } & Picture)
  /**
   * Lines to sign: each item is "label：value", or "label：" and a blank line to write on. Laid out `columns` per
   * line (default 2).
   */
  | { kind: 'signature'; items: readonly { label: string; value?: string | null }[]; columns?: number }
  /** 落款: the issuing body and the date (in Chinese), right-aligned. */
  | { kind: 'closing'; issuer: string; date: string | Date }
  /** Small print under a rule (notes, 抄送, how to reply). */
  | { kind: 'note'; text: string }
  | { kind: 'spacer'; lines?: number }
  | { kind: 'pageBreak' };

export interface DocumentSpec {
  /** The document's title: shown centered under the masthead (unless `showTitle: false`) and in its properties. */
  title: string;
  showTitle?: boolean;
  /** Under the title, centered (（2026年11月27日）, a subtitle). */
  subtitle?: string;
  masthead?: Masthead;
  /** In the top right corner of the first page (a QR code to the record). */
  corner?: Picture;
  blocks: readonly Block[];
  /** Author / subject in the file's properties. */
  author?: string;
  subject?: string;
  /** — 1 — at the foot of each page (default true). */
  pageNumbers?: boolean;
}

/**
 * The page and type of GB/T 9704-2012 (党政机关公文格式), shared by both renderers. Sizes in points; 3号 = 16 pt,
 * 2号 = 22 pt, 4号 = 14 pt, 小四 = 12 pt.
 */
export const LAYOUT = {
  pageWidthMm: 210,
  pageHeightMm: 297,
  margins: { topMm: 37, bottomMm: 35, leftMm: 28, rightMm: 26 },
  red: 'C00000',
  labelShade: 'F2F2F2',
  size: { masthead: 36, title: 22, body: 16, heading: 16, table: 12, note: 10.5, caption: 9, pageNumber: 14 },
  /** Line pitch of body text (22 lines in the 225 mm type area). */
  bodyLinePt: 28.95,
  titleLinePt: 32,
  tableLinePt: 17,
  notePt: 15,
  /** The 落款 (issuer and date) lines. */
  closingLinePt: 24,
  /** Space between the red rule and the title. */
  afterRulePt: 16,
  labelWidthMm: 24,
} as const;

export const MM = 72 / 25.4;

/** The type area's width in points (156 mm). */
export const contentWidthPt = () => (LAYOUT.pageWidthMm - LAYOUT.margins.leftMm - LAYOUT.margins.rightMm) * MM;

/** The masthead's font size: as large as `LAYOUT.size.masthead`, smaller when the text would not fit one line. */
export function mastheadSize(text: string): number {
  const chars = [...text].reduce((n, c) => n + (c.charCodeAt(0) < 0x2e80 ? 0.55 : 1), 0);
  return Math.max(16, Math.min(LAYOUT.size.masthead, Math.floor((contentWidthPt() / Math.max(chars, 1)) * 0.96)));
}

/** A field value as paragraphs (empty for none); a line break in a value starts a new paragraph. */
export function fieldParagraphs(value: Field['value']): string[] {
  if (value === null || value === undefined) return [];
  const list = typeof value === 'string' ? [value] : [...value];
  return list
    .flatMap((v) => v.split(/\r\n?|\n/))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** Characters XML 1.0 cannot hold (a Word file with one does not open) and that print as nothing anyway. */
const UNPRINTABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** The spec with every string stripped of characters no document can hold, line breaks as LF (user text goes in as typed). */
export function cleanSpec<T>(value: T): T {
  if (typeof value === 'string') return value.replace(/\r\n?/g, '\n').replace(UNPRINTABLE, '') as T;
  if (Array.isArray(value)) return value.map((v) => cleanSpec(v)) as T;
  if (value && typeof value === 'object' && !Buffer.isBuffer(value) && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cleanSpec(v)])) as T;
  }
  return value;
}

/** Width and height of a PNG in pixels, from its IHDR chunk. */
export function pngSize(png: Buffer): { width: number; height: number } {
  const signature = '89504e470d0a1a0a';
  if (png.length < 24 || png.subarray(0, 8).toString('hex') !== signature || png.subarray(12, 16).toString('latin1') !== 'IHDR') {
    throw new Error('documents: images must be PNG');
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** The printed height of a picture at its width, in millimetres. */
export function pictureHeightMm(p: Picture): number {
  const { width, height } = pngSize(p.png);
  return (p.widthMm * height) / width;
}

export const asRuns = (text: Inline | readonly Inline[]): TextRun[] =>
  (Array.isArray(text) ? (text as readonly Inline[]) : [text as Inline]).map((t) => (typeof t === 'string' ? { text: t } : t));
