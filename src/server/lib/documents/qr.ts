import QRCode from 'qrcode';

/** A QR code of `text` (a link to a record) as a PNG, sharp enough to print at 20–30 mm. */
export function qrPng(text: string): Promise<Buffer> {
  return QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: 'M', margin: 1, width: 360 });
}
