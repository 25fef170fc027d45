import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  chineseDate,
  chineseNumber,
  cjkFonts,
  documentNumber,
  MissingFontError,
  numericDate,
  numericDateTime,
  pngSize,
  qrPng,
  renderDocx,
  renderPdf,
  type DocumentSpec,
} from './index.ts';
import { docxText, hasPoppler, pdfFonts, pdfPages, pdfText, unzip } from './documents.testkit.ts';

/** pdftotext breaks lines where the PDF does: compare without white space. */
const flat = (s: string) => s.replace(/\s+/g, '');
/** Poppler is installed on CI (.ci/run); on a machine without it the PDF text checks are skipped. */
const withPoppler = it.runIf(hasPoppler || process.env.CI);

async function sample(extra: Partial<DocumentSpec> = {}): Promise<DocumentSpec> {
  return {
    title: '关于协调解决纬三路施工占道问题的交办单',
    subtitle: '（样例）',
    masthead: { text: '崔寨片区建设指挥部', number: documentNumber('起步指挥交', 2026, 12) },
    corner: { png: await qrPng('http://127.0.0.1:8080/problems/6f1c0e2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b'), widthMm: 20, caption: '扫码查看问题详情' },
    blocks: [
      { kind: 'heading', level: 1, text: '一、基本情况' },
      { kind: 'paragraph', text: ['纬三路施工围挡占用机动车道，', { text: '影响氢能产业园企业车辆通行', bold: true }, '。'] },
      {
        kind: 'fields',
        rows: [
          { label: '问题名称', value: '园区道路施工占道' },
          [
            { label: '牵头单位', value: '规划建设部' },
            { label: '协办单位', value: '崔寨街道、生态环境部' },
          ],
          { label: '办理进展', value: ['11月28日 已现场踏勘。', '12月1日 围挡已调整。'] },
          { label: '办理结果', value: null, minLines: 3 },
        ],
      },
      { kind: 'table', columns: [{ header: '时间', weight: 2 }, { header: '事项', weight: 5 }], rows: [['2026-11-28', '现场踏勘㐀']] },
      { kind: 'signature', items: [{ label: '签收人' }, { label: '签收时间', value: '2026年11月27日' }] },
      { kind: 'closing', issuer: '崔寨片区建设指挥部', date: '2026-11-27' },
      { kind: 'note', text: '说明：本单一式两份。' },
    ],
    ...extra,
  };
}

describe('Chinese dates and numbers', () => {
  it('writes 成文日期 with Chinese numerals', () => {
    expect(chineseDate('2026-11-27')).toBe('二〇二六年十一月二十七日');
    expect(chineseDate('2026-01-01')).toBe('二〇二六年一月一日');
    expect(chineseDate('2030-10-10')).toBe('二〇三〇年十月十日');
    expect(chineseDate('2026-12-31')).toBe('二〇二六年十二月三十一日');
    expect(chineseDate('2026-02-20')).toBe('二〇二六年二月二十日');
    // A moment is the day it is in Asia/Shanghai: 16:30 UTC on the 26th is the 27th there.
    expect(chineseDate(new Date('2026-11-26T16:30:00Z'))).toBe('二〇二六年十一月二十七日');
    expect(chineseNumber(0)).toBe('〇');
    expect(chineseNumber(19)).toBe('十九');
    expect(() => chineseNumber(100)).toThrow(RangeError);
    expect(() => chineseDate('27.11.2026')).toThrow(RangeError);
  });

  it('writes dates and 发文字号 as forms and GB/T 9704 do', () => {
    expect(numericDate('2026-03-05')).toBe('2026年3月5日');
    expect(numericDateTime(new Date('2026-03-05T01:07:00Z'))).toBe('2026年3月5日 09:07');
    expect(documentNumber('起步指挥交', 2026, 12)).toBe('起步指挥交〔2026〕12号');
    expect(() => documentNumber('起步指挥交', 2026, 0)).toThrow(RangeError);
  });
});

describe('renderDocx', () => {
  it('writes an A4 Word file with the masthead, number, title, tables, closing and the QR code in the first page header', async () => {
    const spec = await sample();
    const docx = await renderDocx(spec);
    expect(docx.subarray(0, 2).toString('latin1')).toBe('PK');
    const text = await docxText(docx);
    for (const s of ['崔寨片区建设指挥部', '起步指挥交〔2026〕12号', spec.title, '一、基本情况', '影响氢能产业园企业车辆通行', '规划建设部', '崔寨街道、生态环境部', '12月1日 围挡已调整。', '现场踏勘㐀', '签收人：', '二〇二六年十一月二十七日', '说明：本单一式两份。']) {
      expect(text).toContain(s);
    }
    const parts = await unzip(docx);
    const xml = parts.get('word/document.xml')!.toString('utf8');
    // A4 with GB/T 9704 margins (37/35/28/26 mm in twips, docx rounds down), the red masthead, named Chinese fonts.
    const section = /<w:sectPr>.*<\/w:sectPr>/.exec(xml)?.[0] ?? '';
    expect(section).toMatch(/<w:pgSz w:w="1190[56]" w:h="1683[78]"/);
    expect(section).toMatch(/<w:pgMar w:top="209[78]" w:right="147[34]" w:bottom="198[34]" w:left="158[67]"/);
    expect(section).toContain('<w:titlePg/>');
    expect(xml).toContain('w:color w:val="C00000"');
    expect(xml).toContain('w:eastAsia="仿宋"');
    expect(xml).toContain('w:eastAsia="方正小标宋简体"');
    const headers = [...parts.keys()].filter((k) => /^word\/header\d+\.xml$/.test(k)).map((k) => parts.get(k)!.toString('utf8'));
    expect(headers.join('')).toContain('扫码查看问题详情');
    const media = [...parts.keys()].filter((k) => k.startsWith('word/media/'));
    expect(media).toHaveLength(1);
    expect(parts.get(media[0]!)!.equals(spec.corner!.png)).toBe(true);
    const footers = [...parts.keys()].filter((k) => /^word\/footer\d+\.xml$/.test(k)).map((k) => parts.get(k)!.toString('utf8'));
    expect(footers.join('')).toContain('PAGE');
  });

  it('keeps user text as typed: line breaks start new lines, characters XML cannot hold are dropped', async () => {
    const docx = await renderDocx({
      title: '标题\u0001',
      blocks: [
        { kind: 'paragraph', text: '第一行\r\n第二行' },
        { kind: 'fields', rows: [{ label: '描述', value: '甲\u0007段\n乙段' }] },
      ],
    });
    const xml = (await unzip(docx)).get('word/document.xml')!.toString('utf8');
    expect(/[\u0000-\u0008]/.test(xml)).toBe(false);
    expect(/第一行<\/w:t><\/w:r><w:r>(?:(?!<\/w:r>).)*<w:br\/><w:t xml:space="preserve">第二行/.test(xml)).toBe(true);
    const text = await docxText(docx);
    expect(text).toContain('甲段\n乙段');
    expect(text).toContain('标题');
  });

  it('draws a chart image inline at the width asked, keeping its proportions', async () => {
    const png = await qrPng('chart');
    const { width, height } = pngSize(png);
    expect(width).toBe(height);
    const docx = await renderDocx({ title: '工作简报', masthead: { text: '工作简报', number: '第12期', left: '起步区指挥部办公室', right: '2026年11月27日' }, blocks: [{ kind: 'image', png, widthMm: 80, caption: '图1 问题办结趋势' }] });
    const xml = (await unzip(docx)).get('word/document.xml')!.toString('utf8');
    // 80 mm at 914400 EMU per inch.
    expect(xml).toContain(`cx="${Math.round((80 / 25.4) * 96) * 9525}"`);
    expect(await docxText(docx)).toContain('图1 问题办结趋势');
    expect(await docxText(docx)).toContain('起步区指挥部办公室\t2026年11月27日');
  });
});

describe('renderPdf', () => {
  withPoppler('writes Chinese that renders: embedded subset fonts with a Unicode map, text read back by pdftotext', async () => {
    const spec = await sample();
    const started = performance.now();
    const pdf = await renderPdf(spec);
    const ms = performance.now() - started;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = flat(pdfText(pdf));
    for (const s of ['崔寨片区建设指挥部', '起步指挥交〔2026〕12号', spec.title, '规划建设部', '崔寨街道、生态环境部', '现场踏勘㐀', '二〇二六年十一月二十七日', '—1—']) {
      expect(text).toContain(flat(s));
    }
    const fonts = pdfFonts(pdf);
    expect(fonts.length).toBeGreaterThan(0);
    for (const f of fonts) {
      expect(f, f.name).toMatchObject({ embedded: true, subset: true, unicode: true });
      expect(f.name).toMatch(/^[A-Z]{6}\+Noto(Serif|Sans)(SC|CJKsc)-/);
    }
    expect(pdfPages(pdf)).toBe(1);
    // Subset fonts keep a one-page document small (the fonts themselves are 15 MB each).
    expect(pdf.length).toBeLessThan(cjkFonts().source === 'npm' ? 120_000 : 400_000);
    expect(ms).toBeLessThan(15_000);
  });

  withPoppler('splits a row taller than a page across pages and repeats a table header on each page', async () => {
    const long = '纬三路施工围挡占用机动车道，导致企业货运车辆无法正常进出。'.repeat(120) + '描述到此结束';
    const rows = Array.from({ length: 70 }, (_, i) => [`第${i + 1}行`, `事项${i + 1}`]);
    const pdf = await renderPdf({
      title: '长文档',
      blocks: [
        { kind: 'fields', rows: [{ label: '问题描述', value: long }, { label: '牵头单位', value: '规划建设部' }] },
        { kind: 'table', columns: [{ header: '序号列' }, { header: '事项列' }], rows },
      ],
    });
    const pages = pdfPages(pdf);
    expect(pages).toBeGreaterThanOrEqual(4);
    const text = flat(pdfText(pdf));
    expect(text).toContain('描述到此结束');
    expect(text).toContain('第70行事项70');
    // Nothing is lost at the page breaks: every sentence of the long value is there once the lines are joined.
    expect(text.split('导致企业货运车辆无法正常进出').length - 1).toBe(120);
    expect(text.split('序号列').length - 1).toBeGreaterThanOrEqual(2);
    expect(text).toContain(`—${pages}—`);
  });

  withPoppler('uses the system Noto CJK fonts when the npm font package is not there', async () => {
    const debian = '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc';
    if (!fs.existsSync(debian)) return;
    const fonts = cjkFonts({ prefer: 'system' });
    expect(fonts.source).toBe('system');
    const pdf = await renderPdf({ title: '问题督办单', masthead: { text: '崔寨片区建设指挥部' }, blocks: [{ kind: 'paragraph', text: '请于2026年12月3日前反馈。' }] }, { fonts });
    expect(flat(pdfText(pdf))).toContain('请于2026年12月3日前反馈。');
    expect(pdfFonts(pdf).every((f) => f.name.includes('NotoSerifCJKsc') && f.embedded && f.subset)).toBe(true);
  });

  it('says how to get a Chinese font when none is found', () => {
    expect(() => cjkFonts({ systemDirs: ['/nonexistent'] })).toThrow(MissingFontError);
    expect(() => cjkFonts({ systemDirs: ['/nonexistent'] })).toThrow(/fonts-noto-cjk/);
  });

  it('refuses images that are not PNG', async () => {
    await expect(renderPdf({ title: 't', blocks: [{ kind: 'image', png: Buffer.from('GIF89a...........................'), widthMm: 10 }] })).rejects.toThrow(/PNG/);
  });
});
