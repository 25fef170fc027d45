import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  ImageRun,
  LineRuleType,
  Packer,
  PageBreak,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
  convertMillimetersToTwip,
} from 'docx';
import { chineseDate } from './chinese.ts';
import { asRuns, cleanSpec, fieldParagraphs, LAYOUT, mastheadSize, pictureHeightMm, type Block, type DocumentSpec, type Field, type Inline, type Picture } from './model.ts';

/**
 * Word (.docx) rendering of a `DocumentSpec`. Fonts are named, not embedded: 方正小标宋简体 for the masthead and title,
 * 仿宋 for text, 黑体/楷体 for headings (as GB/T 9704 asks); Word and WPS fall back to a Song face where one is missing.
 */

const FONT = {
  masthead: '方正小标宋简体',
  title: '方正小标宋简体',
  body: '仿宋',
  heading1: '黑体',
  heading2: '楷体',
  pageNumber: '宋体',
  latin: 'Times New Roman',
};

const twip = (mm: number) => Math.round(convertMillimetersToTwip(mm));
const ptTwip = (pt: number) => Math.round(pt * 20);
const half = (pt: number) => Math.round(pt * 2);
const px = (mm: number) => Math.round((mm / 25.4) * 96);
const contentTwip = twip(LAYOUT.pageWidthMm - LAYOUT.margins.leftMm - LAYOUT.margins.rightMm);
const align = (a: 'left' | 'center' | 'right' | undefined) =>
  a === 'center' ? AlignmentType.CENTER : a === 'right' ? AlignmentType.RIGHT : a === 'left' ? AlignmentType.LEFT : AlignmentType.JUSTIFIED;

function font(eastAsia: string) {
  return { ascii: FONT.latin, hAnsi: FONT.latin, eastAsia, cs: FONT.latin };
}

interface RunStyle {
  font: string;
  size: number;
  bold?: boolean;
  color?: string;
}

function runs(text: Inline | readonly Inline[], style: RunStyle): TextRun[] {
  // A line break inside a run becomes a Word line break (w:br), not a space.
  return asRuns(text).flatMap((r) => r.text.split(/\r\n?|\n/).map((part, i) => ({ ...r, text: part, br: i > 0 }))).map(
    (r) =>
      new TextRun({
        text: r.text,
        ...(r.br ? { break: 1 } : {}),
        font: font(style.font),
        size: half(style.size),
        bold: r.bold ?? style.bold ?? false,
        ...(r.underline ? { underline: {} } : {}),
        ...((r.color ?? style.color) ? { color: r.color ?? style.color } : {}),
      }),
  );
}

const exactly = (pt: number) => ({ line: ptTwip(pt), lineRule: LineRuleType.EXACT });
const bodyStyle: RunStyle = { font: FONT.body, size: LAYOUT.size.body };
const tableStyle: RunStyle = { font: FONT.body, size: LAYOUT.size.table };

function picture(p: Picture, alignment: 'left' | 'center' | 'right'): Paragraph[] {
  const { margins } = LAYOUT;
  // At most the type area (156 × 225 mm), keeping the proportions.
  const scale = Math.min(
    1,
    (LAYOUT.pageWidthMm - margins.leftMm - margins.rightMm) / p.widthMm,
    (LAYOUT.pageHeightMm - margins.topMm - margins.bottomMm - 10) / pictureHeightMm(p),
  );
  const out = [
    new Paragraph({
      alignment: align(alignment),
      keepNext: Boolean(p.caption),
      children: [new ImageRun({ type: 'png', data: p.png, transformation: { width: px(p.widthMm * scale), height: px(pictureHeightMm(p) * scale) } })],
    }),
  ];
  if (p.caption) out.push(new Paragraph({ alignment: align(alignment), children: runs(p.caption, { font: FONT.body, size: LAYOUT.size.caption }) }));
  return out;
}

function masthead(spec: DocumentSpec): Paragraph[] {
  const m = spec.masthead;
  if (!m) return [];
  const out: Paragraph[] = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: ptTwip(6) },
      children: runs(m.text, { font: FONT.masthead, size: mastheadSize(m.text), color: LAYOUT.red }),
    }),
  ];
  const rule = { bottom: { style: BorderStyle.SINGLE, size: 12, color: LAYOUT.red, space: 6 } };
  if (m.number) {
    out.push(new Paragraph({ alignment: AlignmentType.CENTER, spacing: exactly(LAYOUT.bodyLinePt), children: runs(m.number, bodyStyle) }));
  }
  if (m.left || m.right) {
    out.push(
      new Paragraph({
        tabStops: [{ type: 'right', position: contentTwip }],
        spacing: exactly(LAYOUT.bodyLinePt),
        children: [...runs(m.left ?? '', { ...bodyStyle, size: 14 }), new TextRun({ text: '\t' }), ...runs(m.right ?? '', { ...bodyStyle, size: 14 })],
      }),
    );
  }
  out.push(new Paragraph({ border: rule, spacing: { after: ptTwip(LAYOUT.afterRulePt) }, children: [] }));
  return out;
}

function titleParagraphs(spec: DocumentSpec): Paragraph[] {
  const out: Paragraph[] = [];
  if (spec.showTitle !== false) {
    out.push(new Paragraph({ alignment: AlignmentType.CENTER, spacing: exactly(LAYOUT.titleLinePt), children: runs(spec.title, { font: FONT.title, size: LAYOUT.size.title }) }));
  }
  if (spec.subtitle) out.push(new Paragraph({ alignment: AlignmentType.CENTER, spacing: exactly(LAYOUT.bodyLinePt), children: runs(spec.subtitle, { font: FONT.heading2, size: LAYOUT.size.body }) }));
  if (out.length) out.push(new Paragraph({ spacing: exactly(LAYOUT.bodyLinePt / 3), children: [] }));
  return out;
}

const thin = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const cellBorders = { top: thin, bottom: thin, left: thin, right: thin };
const cellMargins = { top: 40, bottom: 40, left: 100, right: 100 };

function cellParagraphs(lines: string[], style: RunStyle, alignment: 'left' | 'center' | 'right' | undefined, minLines = 1): Paragraph[] {
  const paras = lines.map((l) => new Paragraph({ alignment: align(alignment ?? 'left'), spacing: exactly(LAYOUT.tableLinePt), children: runs(l, style) }));
  while (paras.length < minLines) paras.push(new Paragraph({ spacing: exactly(LAYOUT.tableLinePt), children: [] }));
  return paras;
}

function labelCell(f: Field, widthTwip: number): TableCell {
  return new TableCell({
    width: { size: widthTwip, type: WidthType.DXA },
    shading: { type: ShadingType.CLEAR, color: 'auto', fill: LAYOUT.labelShade },
    verticalAlign: VerticalAlignTable.CENTER,
    borders: cellBorders,
    margins: cellMargins,
    children: cellParagraphs([f.label], { ...tableStyle, bold: true }, 'center'),
  });
}

function valueCell(f: Field, widthTwip: number, span: number): TableCell {
  return new TableCell({
    width: { size: widthTwip, type: WidthType.DXA },
    columnSpan: span,
    verticalAlign: VerticalAlignTable.CENTER,
    borders: cellBorders,
    margins: cellMargins,
    children: cellParagraphs(fieldParagraphs(f.value), tableStyle, 'left', f.minLines ?? 1),
  });
}

function fieldsTable(rows: Extract<Block, { kind: 'fields' }>['rows']): Table {
  const label = twip(LAYOUT.labelWidthMm);
  const paired = rows.some((r) => Array.isArray(r));
  const value = paired ? Math.floor((contentTwip - 2 * label) / 2) : contentTwip - label;
  const columnWidths = paired ? [label, value, label, contentTwip - 2 * label - value] : [label, value];
  return new Table({
    width: { size: contentTwip, type: WidthType.DXA },
    columnWidths,
    layout: TableLayoutType.FIXED,
    rows: rows.map((r) => {
      const pair = Array.isArray(r) ? (r as readonly [Field, Field]) : null;
      const cells = pair
        ? [labelCell(pair[0], label), valueCell(pair[0], columnWidths[1]!, 1), labelCell(pair[1], label), valueCell(pair[1], columnWidths[3]!, 1)]
        : [labelCell(r as Field, label), valueCell(r as Field, contentTwip - label, paired ? 3 : 1)];
      // A short row stays on one page; a long one (a long description) may break across pages.
      const all: readonly Field[] = pair ?? [r as Field];
      const length = all.reduce((n, f) => n + fieldParagraphs(f.value).join('').length + (f.minLines ?? 0) * 20, 0);
      return new TableRow({ children: cells, cantSplit: length < 300 });
    }),
  });
}

function gridTable(b: Extract<Block, { kind: 'table' }>): Table {
  const weights = b.columns.map((c) => c.weight ?? 1);
  const total = weights.reduce((a, w) => a + w, 0);
  const widths = weights.map((w) => Math.floor((contentTwip * w) / total));
  const header = new TableRow({
    tableHeader: true,
    children: b.columns.map(
      (c, i) =>
        new TableCell({
          width: { size: widths[i]!, type: WidthType.DXA },
          shading: { type: ShadingType.CLEAR, color: 'auto', fill: LAYOUT.labelShade },
          verticalAlign: VerticalAlignTable.CENTER,
          borders: cellBorders,
          margins: cellMargins,
          children: cellParagraphs([c.header], { ...tableStyle, bold: true }, 'center'),
        }),
    ),
  });
  const body = b.rows.map(
    (row) =>
      new TableRow({
        children: b.columns.map(
          (c, i) =>
            new TableCell({
              width: { size: widths[i]!, type: WidthType.DXA },
              verticalAlign: VerticalAlignTable.CENTER,
              borders: cellBorders,
              margins: cellMargins,
              children: cellParagraphs((row[i] ?? '').split('\n'), tableStyle, c.align ?? 'left'),
            }),
        ),
      }),
  );
  return new Table({ width: { size: contentTwip, type: WidthType.DXA }, columnWidths: widths, layout: TableLayoutType.FIXED, rows: [header, ...body] });
}

const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };

function signature(b: Extract<Block, { kind: 'signature' }>): Table {
  const columns = Math.max(1, b.columns ?? 2);
  const width = Math.floor(contentTwip / columns);
  const rows: TableRow[] = [];
  for (let i = 0; i < b.items.length; i += columns) {
    const items = b.items.slice(i, i + columns);
    while (items.length < columns) items.push({ label: '' });
    rows.push(
      new TableRow({
        children: items.map((item) => {
          const value = item.value?.trim();
          const children = item.label
            ? [
                ...runs(`${item.label}：`, bodyStyle),
                ...(value ? runs(value, bodyStyle) : [new TextRun({ text: '\u3000'.repeat(Math.max(3, 12 / columns + 2)), underline: {}, font: font(FONT.body), size: half(LAYOUT.size.body) })]),
              ]
            : [];
          return new TableCell({
            width: { size: width, type: WidthType.DXA },
            borders: { top: none, bottom: none, left: none, right: none },
            children: [new Paragraph({ spacing: exactly(LAYOUT.bodyLinePt), children })],
          });
        }),
      }),
    );
  }
  return new Table({
    width: { size: contentTwip, type: WidthType.DXA },
    columnWidths: Array.from({ length: columns }, () => width),
    layout: TableLayoutType.FIXED,
    borders: { top: none, bottom: none, left: none, right: none, insideHorizontal: none, insideVertical: none },
    rows,
  });
}

function closing(b: Extract<Block, { kind: 'closing' }>): Paragraph[] {
  const date = chineseDate(b.date);
  const size = LAYOUT.size.body;
  const dateIndent = 4 * size;
  // The issuer is centred over the date (GB/T 9704 §7.3.5.1): its right indent makes up the difference in length.
  const issuerIndent = Math.max(0, dateIndent + ((date.length - b.issuer.length) * size) / 2);
  return [
    new Paragraph({ spacing: exactly(LAYOUT.bodyLinePt / 2), children: [] }),
    new Paragraph({ alignment: AlignmentType.RIGHT, indent: { right: ptTwip(issuerIndent) }, spacing: exactly(LAYOUT.closingLinePt), keepNext: true, children: runs(b.issuer, bodyStyle) }),
    new Paragraph({ alignment: AlignmentType.RIGHT, indent: { right: ptTwip(dateIndent) }, spacing: exactly(LAYOUT.closingLinePt), children: runs(date, bodyStyle) }),
  ];
}

function blockElements(b: Block): (Paragraph | Table)[] {
  switch (b.kind) {
    case 'heading': {
      const style: RunStyle =
        b.level === 1 ? { font: FONT.heading1, size: LAYOUT.size.heading } : b.level === 2 ? { font: FONT.heading2, size: LAYOUT.size.heading } : { ...bodyStyle, bold: true };
      return [new Paragraph({ keepNext: true, indent: { firstLine: ptTwip(2 * LAYOUT.size.body) }, spacing: exactly(LAYOUT.bodyLinePt), children: runs(b.text, style) })];
    }
    case 'paragraph':
      return [
        new Paragraph({
          alignment: align(b.align),
          indent: b.indent === false || b.align === 'center' || b.align === 'right' ? {} : { firstLine: ptTwip(2 * LAYOUT.size.body) },
          spacing: exactly(LAYOUT.bodyLinePt),
          children: runs(b.text, bodyStyle),
        }),
      ];
    case 'fields':
      return [fieldsTable(b.rows), new Paragraph({ spacing: exactly(LAYOUT.tableLinePt / 2), children: [] })];
    case 'table':
      return [gridTable(b), new Paragraph({ spacing: exactly(LAYOUT.tableLinePt / 2), children: [] })];
    case 'image':
      return picture(b, b.align ?? 'center');
    case 'signature':
      return [signature(b)];
    case 'closing':
      return closing(b);
    case 'note':
      return [
        new Paragraph({
          border: { top: { style: BorderStyle.SINGLE, size: 4, color: '000000', space: 4 } },
          spacing: { before: ptTwip(12), line: ptTwip(LAYOUT.notePt), lineRule: LineRuleType.EXACT },
          children: runs(b.text, { font: FONT.body, size: LAYOUT.size.note }),
        }),
      ];
    case 'spacer':
      return Array.from({ length: b.lines ?? 1 }, () => new Paragraph({ spacing: exactly(LAYOUT.bodyLinePt), children: [] }));
    case 'pageBreak':
      return [new Paragraph({ children: [new PageBreak()] })];
  }
}

function pageNumberFooter(): Footer {
  const style = { font: font(FONT.pageNumber), size: half(LAYOUT.size.pageNumber) };
  return new Footer({
    children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ ...style, children: ['— ', PageNumber.CURRENT, ' —'] })] })],
  });
}

/** The document as a .docx file. */
export async function renderDocx(input: DocumentSpec): Promise<Buffer> {
  const spec = cleanSpec(input);
  const { margins } = LAYOUT;
  const numbered = spec.pageNumbers !== false;
  const cornerHeader = spec.corner ? new Header({ children: picture(spec.corner, 'right') }) : undefined;
  const doc = new Document({
    creator: spec.author ?? 'Qibu 起步',
    title: spec.title,
    ...(spec.subject ? { subject: spec.subject } : {}),
    styles: { default: { document: { run: { font: font(FONT.body), size: half(LAYOUT.size.body) } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: twip(LAYOUT.pageWidthMm), height: twip(LAYOUT.pageHeightMm) },
            margin: { top: twip(margins.topMm), bottom: twip(margins.bottomMm), left: twip(margins.leftMm), right: twip(margins.rightMm), header: twip(8), footer: twip(24) },
          },
          titlePage: Boolean(cornerHeader),
        },
        headers: cornerHeader ? { first: cornerHeader, default: new Header({ children: [] }) } : {},
        footers: numbered ? (cornerHeader ? { first: pageNumberFooter(), default: pageNumberFooter() } : { default: pageNumberFooter() }) : {},
        children: [...masthead(spec), ...titleParagraphs(spec), ...spec.blocks.flatMap(blockElements)],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
