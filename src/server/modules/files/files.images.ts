import sharp from 'sharp';
import { AppError } from '../../errors.ts';
import type { FileType } from './files.sniff.ts';

/**
 * The clean copy of an uploaded image: decoded and encoded again by sharp, in the same format, without any
 * metadata (EXIF with GPS position, camera serials, XMP, IPTC, comments; colours converted to sRGB). EXIF
 * orientation is applied to the pixels first, so the copy looks the same upright. Animated GIF/WebP keep their
 * frames (they are not rotated: orientation does not apply to them). Whatever hides after the image data of the
 * original (a zip, a script) is not carried over, since only decoded pixels are written.
 */

/** Decoding is refused above this many pixels (a few-KB PNG can declare gigapixels). 200 MP covers phone cameras. */
export const MAX_IMAGE_PIXELS = 200_000_000;

type ImageType = Extract<FileType, 'jpeg' | 'png' | 'webp' | 'gif'>;

export function isImageType(type: FileType): type is ImageType {
  return type === 'jpeg' || type === 'png' || type === 'webp' || type === 'gif';
}

export async function cleanImage(filePath: string, type: ImageType): Promise<Buffer> {
  const options = { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' as const };
  try {
    const animatable = type === 'gif' || type === 'webp';
    const pages = animatable ? ((await sharp(filePath, options).metadata()).pages ?? 1) : 1;
    let image = pages > 1 ? sharp(filePath, { ...options, animated: true }) : sharp(filePath, options).rotate();
    switch (type) {
      case 'jpeg':
        image = image.jpeg({ quality: 90, mozjpeg: true });
        break;
      case 'png':
        image = image.png({ compressionLevel: 9 });
        break;
      case 'webp':
        image = image.webp({ quality: 90 });
        break;
      case 'gif':
        image = image.gif();
        break;
    }
    // No withMetadata()/keepExif(): sharp writes no metadata by default.
    return await image.toBuffer();
  } catch (err) {
    throw new AppError('validation_failed', { fields: [{ path: 'file', key: 'file.image_unreadable' }], cause: err });
  }
}
