/**
 * The part of pdfkit (0.20, which ships no types) that src/server/lib/documents/pdf.ts uses. Kept here instead of
 * a @types package so the declarations match the pinned version exactly; add members as the renderer needs them.
 */
declare module 'pdfkit' {
  interface TextOptions {
    width?: number;
    height?: number;
    align?: 'left' | 'center' | 'right' | 'justify';
    lineGap?: number;
    /** First-line indent. */
    indent?: number;
    paragraphGap?: number;
    characterSpacing?: number;
    continued?: boolean;
    underline?: boolean;
    lineBreak?: boolean;
  }

  interface DocumentOptions {
    size?: string | [number, number];
    margins?: { top: number; bottom: number; left: number; right: number };
    autoFirstPage?: boolean;
    bufferPages?: boolean;
    compress?: boolean;
    lang?: string;
    displayTitle?: boolean;
    info?: { Title?: string; Author?: string; Subject?: string; Creator?: string; Producer?: string; CreationDate?: Date };
  }

  interface Page {
    width: number;
    height: number;
    margins: { top: number; bottom: number; left: number; right: number };
  }

  class PDFDocument {
    constructor(options?: DocumentOptions);
    x: number;
    y: number;
    page: Page;
    on(event: 'data', listener: (chunk: Buffer) => void): this;
    on(event: 'end', listener: () => void): this;
    on(event: 'error', listener: (err: Error) => void): this;
    end(): void;
    addPage(options?: DocumentOptions): this;
    switchToPage(n: number): this;
    bufferedPageRange(): { start: number; count: number };
    /** `src`: a file, its bytes, or a font fontkit parsed already (anything with a `layout` function). */
    registerFont(name: string, src: string | Uint8Array | { layout: (...args: never[]) => unknown }, family?: string): this;
    font(name: string, size?: number): this;
    fontSize(size: number): this;
    currentLineHeight(includeGap?: boolean): number;
    text(text: string, x?: number, y?: number, options?: TextOptions): this;
    text(text: string, options?: TextOptions): this;
    widthOfString(text: string, options?: TextOptions): number;
    heightOfString(text: string, options?: TextOptions): number;
    fillColor(color: string): this;
    strokeColor(color: string): this;
    lineWidth(width: number): this;
    moveTo(x: number, y: number): this;
    lineTo(x: number, y: number): this;
    rect(x: number, y: number, w: number, h: number): this;
    fill(color?: string): this;
    stroke(color?: string): this;
    image(src: Buffer, x: number, y: number, options?: { width?: number; height?: number }): this;
    save(): this;
    restore(): this;
  }

  export default PDFDocument;
}
