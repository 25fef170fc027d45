import PDFDocument from 'pdfkit';
import { chineseDate } from './chinese.ts';
import { cjkFonts, type CjkFonts, type FontRole } from './fonts.ts';
import {
  asRuns,
  cleanSpec,
  contentWidthPt,
  fieldParagraphs,
  LAYOUT,
  mastheadSize,
  MM,
  pictureHeightMm,
  type Block,
  type DocumentSpec,
  type Field,
  type Inline,
  type Picture,
} from './model.ts';

/**
 * PDF rendering of a `DocumentSpec` with pdfkit, embedding subsets of Noto Serif SC (fonts.ts). Paragraphs flow
 * with pdfkit's own line breaking (UAX #14: breaks between ideographs, none before closing punctuation); tables
 * are laid out here: a row that does not fit moves to the next page, a row taller than a third of a page is split
 * across pages, and a table's header row is repeated on each page.
 */

const BLACK = '#000000';
const hex = (c: string) => `#${c}`;
const CELL_PAD_X = 5;
const CELL_PAD_Y = 3;

interface Cell {
  text: string;
  font: FontRole;
  align: 'left' | 'center' | 'right';
  width: number;
  shade?: boolean;
  /** Minimum height of the text area in lines. */
  minLines?: number;
  valign?: 'top' | 'middle';
}

class PdfWriter {
  readonly doc: PDFDocument;
  readonly left = LAYOUT.margins.leftMm * MM;
  readonly top = LAYOUT.margins.topMm * MM;
  readonly width = contentWidthPt();
  readonly bottom: number;
  y: number;
  /** Drawn after a page break inside a table (its header row). */
  private onNewPage: (() => void) | null = null;

  constructor(spec: DocumentSpec, fonts: CjkFonts) {
    const m = LAYOUT.margins;
    this.doc = new PDFDocument({
      size: 'A4',
      margins: { top: m.topMm * MM, bottom: m.bottomMm * MM, left: m.leftMm * MM, right: m.rightMm * MM },
      bufferPages: true,
      lang: 'zh-CN',
      displayTitle: true,
      info: { Title: spec.title, Author: spec.author ?? 'Qibu 起步', Creator: 'Qibu 起步', Producer: 'Qibu 起步 (pdfkit)', ...(spec.subject ? { Subject: spec.subject } : {}) },
    });
    for (const role of ['regular', 'bold', 'heavy'] as const) {
      const f = fonts.faces[role];
      if (f.parsed) this.doc.registerFont(role, f.parsed);
      else this.doc.registerFont(role, f.data, f.face);
    }
    this.bottom = this.doc.page.height - m.bottomMm * MM;
    this.y = this.top;
  }

  style(font: FontRole, size: number, color = BLACK): this {
    this.doc.font(font).fontSize(size).fillColor(color);
    return this;
  }

  /** The gap pdfkit adds after each line so lines are `pitch` apart at the current font and size. */
  gapFor(pitch: number): number {
    return Math.max(0, pitch - this.doc.currentLineHeight(true));
  }

  newPage(): void {
    this.doc.addPage();
    this.y = this.top;
    this.onNewPage?.();
  }

  /** Starts a new page unless `height` fits below the current position. */
  ensure(height: number): void {
    if (this.y + height > this.bottom && this.y > this.top + 1) this.newPage();
  }

  line(x1: number, y1: number, x2: number, y2: number, width: number, color = BLACK): void {
    this.doc.save().lineWidth(width).strokeColor(color).moveTo(x1, y1).lineTo(x2, y2).stroke().restore();
  }

  // ---- blocks ----------------------------------------------------------------------------------------------

  corner(p: Picture): void {
    const w = p.widthMm * MM;
    const h = pictureHeightMm(p) * MM;
    const captionH = p.caption ? LAYOUT.size.caption * 1.5 : 0;
    const x = this.doc.page.width - LAYOUT.margins.rightMm * MM - w;
    const y = Math.max(8 * MM, this.top - h - captionH - 3 * MM);
    this.doc.image(p.png, x, y, { width: w, height: h });
    if (p.caption) {
      this.style('regular', LAYOUT.size.caption);
      const cw = Math.max(w, this.doc.widthOfString(p.caption));
      this.doc.text(p.caption, x + w - cw, y + h + 1, { width: cw, align: 'center', lineBreak: false });
    }
  }

  masthead(spec: DocumentSpec): void {
    const m = spec.masthead;
    if (!m) return;
    this.style('heavy', mastheadSize(m.text), hex(LAYOUT.red));
    // One line at the size chosen; a name too long even at the smallest size wraps.
    this.doc.text(m.text, this.left, this.y, { width: this.width, align: 'center' });
    this.y = this.doc.y + 6;
    this.style('regular', LAYOUT.size.body);
    if (m.number) {
      this.doc.text(m.number, this.left, this.y, { width: this.width, align: 'center' });
      this.y = this.doc.y + 2;
    }
    if (m.left || m.right) {
      this.style('regular', 14);
      const y = this.y;
      if (m.left) this.doc.text(m.left, this.left, y, { width: this.width, align: 'left', lineBreak: false });
      if (m.right) this.doc.text(m.right, this.left, y, { width: this.width, align: 'right', lineBreak: false });
      this.y = y + this.doc.currentLineHeight(true) + 2;
    }
    this.y += 4 * MM - 6;
    this.line(this.left, this.y, this.left + this.width, this.y, 1.5, hex(LAYOUT.red));
    this.y += LAYOUT.afterRulePt;
  }

  title(spec: DocumentSpec): void {
    if (spec.showTitle !== false) {
      this.style('bold', LAYOUT.size.title);
      this.doc.text(spec.title, this.left, this.y, { width: this.width, align: 'center', lineGap: this.gapFor(LAYOUT.titleLinePt) });
      this.y = this.doc.y;
    }
    if (spec.subtitle) {
      this.style('regular', LAYOUT.size.body);
      this.doc.text(spec.subtitle, this.left, this.y, { width: this.width, align: 'center' });
      this.y = this.doc.y;
    }
    if (spec.showTitle !== false || spec.subtitle) this.y += LAYOUT.bodyLinePt / 3;
  }

  paragraph(text: Inline | readonly Inline[], opts: { align?: 'left' | 'center' | 'right'; indent?: boolean; font?: FontRole; size?: number; pitch?: number }): void {
    const size = opts.size ?? LAYOUT.size.body;
    const runs = asRuns(text);
    this.style(opts.font ?? 'regular', size);
    const lineGap = this.gapFor(opts.pitch ?? LAYOUT.bodyLinePt);
    this.ensure(this.doc.currentLineHeight(true) + lineGap);
    const indent = opts.indent === false || opts.align === 'center' || opts.align === 'right' ? 0 : 2 * size;
    const base = { width: this.width, align: opts.align ?? 'left', lineGap, indent } as const;
    if (runs.length === 0) runs.push({ text: '' });
    runs.forEach((r, i) => {
      this.style(r.bold ? 'bold' : (opts.font ?? 'regular'), size, r.color ? hex(r.color) : BLACK);
      const options = { ...base, continued: i < runs.length - 1, underline: Boolean(r.underline) };
      if (i === 0) this.doc.text(r.text, this.left, this.y, options);
      else this.doc.text(r.text, options);
    });
    this.y = this.doc.y;
  }

  heading(level: 1 | 2 | 3, text: string): void {
    const lines = 3 * LAYOUT.bodyLinePt;
    this.ensure(lines);
    this.paragraph(text, { font: level === 1 ? 'heavy' : 'bold' });
  }

  // ---- tables ------------------------------------------------------------------------------------------------

  private measure(c: Cell, text = c.text): number {
    this.style(c.font, LAYOUT.size.table);
    if (!text) return 0;
    return this.doc.heightOfString(text, { width: c.width - 2 * CELL_PAD_X, lineGap: this.gapFor(LAYOUT.tableLinePt) });
  }

  /** The longest start of `c.text` that fits `height`, and the rest. */
  private split(c: Cell, height: number): [string, string] {
    if (this.measure(c) <= height) return [c.text, ''];
    const chars = Array.from(c.text);
    let lo = 0;
    let hi = chars.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (this.measure(c, chars.slice(0, mid).join('')) <= height) lo = mid;
      else hi = mid - 1;
    }
    let k = lo;
    // Do not cut a Latin word or number in two when it can be helped.
    const word = /[A-Za-z0-9]/;
    while (k > 0 && k < chars.length && word.test(chars[k - 1]!) && word.test(chars[k]!)) k--;
    if (k === 0) k = lo;
    return [chars.slice(0, k).join(''), chars.slice(k).join('').replace(/^\n/, '')];
  }

  private drawCells(cells: Cell[], height: number): void {
    let x = this.left;
    const lineGap = () => this.gapFor(LAYOUT.tableLinePt);
    for (const c of cells) {
      if (c.shade) this.doc.save().rect(x, this.y, c.width, height).fill(hex(LAYOUT.labelShade)).restore();
      this.doc.save().lineWidth(0.5).strokeColor(BLACK).rect(x, this.y, c.width, height).stroke().restore();
      if (c.text) {
        const h = this.measure(c);
        const top = c.valign === 'middle' ? this.y + Math.max(CELL_PAD_Y, (height - h + lineGap()) / 2) : this.y + CELL_PAD_Y;
        this.style(c.font, LAYOUT.size.table);
        this.doc.text(c.text, x + CELL_PAD_X, top, { width: c.width - 2 * CELL_PAD_X, height: height + LAYOUT.tableLinePt, align: c.align, lineGap: lineGap() });
      }
      x += c.width;
    }
    this.y += height;
  }

  row(cells: Cell[]): void {
    let rest = cells;
    for (;;) {
      const need = Math.max(...rest.map((c) => Math.max(this.measure(c), (c.minLines ?? 1) * LAYOUT.tableLinePt))) + 2 * CELL_PAD_Y;
      const room = this.bottom - this.y;
      if (need <= room) return this.drawCells(rest, need);
      const atTop = this.y <= this.top + 1;
      if (!atTop && (need <= (this.bottom - this.top) / 3 || room < 3 * LAYOUT.tableLinePt + 2 * CELL_PAD_Y)) {
        this.newPage();
        continue;
      }
      const parts = rest.map((c) => this.split(c, room - 2 * CELL_PAD_Y));
      this.drawCells(
        rest.map((c, i) => ({ ...c, text: parts[i]![0], minLines: 0 })),
        room,
      );
      // Labels are not repeated on the continuation; values go on where they stopped.
      rest = rest.map((c, i) => ({ ...c, text: c.shade ? '' : parts[i]![1], minLines: 0 }));
      this.newPage();
      if (rest.every((c) => !c.text)) return;
    }
  }

  fields(rows: Extract<Block, { kind: 'fields' }>['rows']): void {
    const label = LAYOUT.labelWidthMm * MM;
    const paired = rows.some((r) => Array.isArray(r));
    const value = paired ? (this.width - 2 * label) / 2 : this.width - label;
    const labelCell = (f: Field): Cell => ({ text: f.label, font: 'bold', align: 'center', width: label, shade: true, valign: 'middle' });
    const valueCell = (f: Field, width: number): Cell => ({ text: fieldParagraphs(f.value).join('\n'), font: 'regular', align: 'left', width, minLines: f.minLines ?? 1, valign: 'middle' });
    for (const r of rows) {
      if (Array.isArray(r)) {
        const [a, b] = r as readonly [Field, Field];
        this.row([labelCell(a), valueCell(a, value), labelCell(b), valueCell(b, value)]);
      } else {
        this.row([labelCell(r as Field), valueCell(r as Field, this.width - label)]);
      }
    }
    this.y += LAYOUT.tableLinePt / 2;
  }

  table(b: Extract<Block, { kind: 'table' }>): void {
    const weights = b.columns.map((c) => c.weight ?? 1);
    const total = weights.reduce((a, w) => a + w, 0);
    const widths = weights.map((w) => (this.width * w) / total);
    const headerCells = (): Cell[] => b.columns.map((c, i) => ({ text: c.header, font: 'bold', align: 'center', width: widths[i]!, shade: true, valign: 'middle' }));
    const bodyCells = (r: readonly string[]): Cell[] => b.columns.map((c, i) => ({ text: r[i] ?? '', font: 'regular', align: c.align ?? 'left', width: widths[i]!, valign: 'middle' }));
    const header = () => this.row(headerCells());
    // The header and the first row stay together (both measured: headers and cells wrap).
    const height = (cells: Cell[]) => Math.max(...cells.map((c) => this.measure(c)), LAYOUT.tableLinePt) + 2 * CELL_PAD_Y;
    const first = b.rows[0];
    this.ensure(Math.min(height(headerCells()) + (first ? height(bodyCells(first)) : 0), (this.bottom - this.top) / 3));
    header();
    this.onNewPage = header;
    try {
      for (const r of b.rows) this.row(bodyCells(r));
    } finally {
      this.onNewPage = null;
    }
    this.y += LAYOUT.tableLinePt / 2;
  }

  // ---- the rest ------------------------------------------------------------------------------------------------

  image(p: Picture, align: 'left' | 'center' | 'right'): void {
    const captionH = p.caption ? LAYOUT.size.caption * 1.8 : 0;
    // At most the type area's width, and its height less the caption.
    const scale = Math.min(1, this.width / (p.widthMm * MM), (this.bottom - this.top - captionH - 4) / (pictureHeightMm(p) * MM));
    const w = p.widthMm * MM * scale;
    const h = pictureHeightMm(p) * MM * scale;
    this.ensure(h + captionH);
    const x = align === 'left' ? this.left : align === 'right' ? this.left + this.width - w : this.left + (this.width - w) / 2;
    this.doc.image(p.png, x, this.y, { width: w, height: h });
    this.y += h + 2;
    if (p.caption) {
      this.style('regular', LAYOUT.size.caption);
      this.doc.text(p.caption, this.left, this.y, { width: this.width, align });
      this.y = this.doc.y;
    }
    this.y += 4;
  }

  signature(b: Extract<Block, { kind: 'signature' }>): void {
    const columns = Math.max(1, b.columns ?? 2);
    const cellW = this.width / columns;
    const size = LAYOUT.size.body;
    for (let i = 0; i < b.items.length; i += columns) {
      const items = b.items.slice(i, i + columns);
      this.style('regular', size);
      const lineGap = this.gapFor(LAYOUT.bodyLinePt);
      const heights = items.map((it) => this.doc.heightOfString(`${it.label}：${it.value ?? ''}`, { width: cellW - 8, lineGap }));
      const h = Math.max(LAYOUT.bodyLinePt, ...heights);
      this.ensure(h);
      items.forEach((it, j) => {
        const x = this.left + j * cellW;
        const label = `${it.label}：`;
        const value = it.value?.trim();
        this.style('regular', size);
        this.doc.text(value ? label + value : label, x, this.y, { width: cellW - 8, lineGap });
        if (!value) {
          const lx = x + this.doc.widthOfString(label);
          const ly = this.y + this.doc.currentLineHeight(true) - 2;
          this.line(lx, ly, x + cellW - 12, ly, 0.6);
        }
      });
      this.y += h;
    }
  }

  closing(b: Extract<Block, { kind: 'closing' }>): void {
    const size = LAYOUT.size.body;
    const date = chineseDate(b.date);
    this.style('regular', size);
    this.ensure(LAYOUT.bodyLinePt / 2 + 2 * LAYOUT.closingLinePt);
    this.y += LAYOUT.bodyLinePt / 2;
    const right = this.left + this.width - 4 * size;
    const dateW = this.doc.widthOfString(date);
    const issuerW = this.doc.widthOfString(b.issuer);
    const centre = right - dateW / 2;
    this.doc.text(b.issuer, Math.max(this.left, centre - issuerW / 2), this.y, { lineBreak: false });
    this.y += LAYOUT.closingLinePt;
    this.doc.text(date, right - dateW, this.y, { lineBreak: false });
    this.y += LAYOUT.closingLinePt;
  }

  note(text: string): void {
    this.ensure(2 * LAYOUT.notePt + 12);
    this.y += 8;
    this.line(this.left, this.y, this.left + this.width, this.y, 0.5);
    this.y += 4;
    this.paragraph(text, { indent: false, size: LAYOUT.size.note, pitch: LAYOUT.notePt });
  }

  block(b: Block): void {
    switch (b.kind) {
      case 'heading':
        return this.heading(b.level, b.text);
      case 'paragraph':
        return this.paragraph(b.text, { ...(b.align ? { align: b.align } : {}), ...(b.indent === false ? { indent: false } : {}) });
      case 'fields':
        return this.fields(b.rows);
      case 'table':
        return this.table(b);
      case 'image':
        return this.image(b, b.align ?? 'center');
      case 'signature':
        return this.signature(b);
      case 'closing':
        return this.closing(b);
      case 'note':
        return this.note(b.text);
      case 'spacer':
        this.y += (b.lines ?? 1) * LAYOUT.bodyLinePt;
        if (this.y > this.bottom) this.newPage();
        return;
      case 'pageBreak':
        return this.newPage();
    }
  }

  pageNumbers(): void {
    const range = this.doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      this.doc.switchToPage(i);
      const margins = this.doc.page.margins;
      const bottom = margins.bottom;
      // Text below the bottom margin would make pdfkit start a new page: lift the margin while writing the number.
      margins.bottom = 0;
      this.style('regular', LAYOUT.size.pageNumber);
      this.doc.text(`— ${i + 1 - range.start} —`, this.left, this.doc.page.height - bottom + 7 * MM, { width: this.width, align: 'center', lineBreak: false });
      margins.bottom = bottom;
    }
  }
}

/** The document as a PDF (A4, GB/T 9704 margins, Chinese fonts embedded as subsets). */
export async function renderPdf(input: DocumentSpec, opts: { fonts?: CjkFonts } = {}): Promise<Buffer> {
  const spec = cleanSpec(input);
  const w = new PdfWriter(spec, opts.fonts ?? cjkFonts());
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    w.doc.on('data', (c) => chunks.push(c));
    w.doc.on('end', () => resolve(Buffer.concat(chunks)));
    w.doc.on('error', reject);
  });
  if (spec.corner) w.corner(spec.corner);
  w.masthead(spec);
  w.title(spec);
  for (const b of spec.blocks) w.block(b);
  if (spec.pageNumbers !== false) w.pageNumbers();
  w.doc.end();
  return done;
}
