import {
  IMAGE_MAX_FRAMES,
  IMAGE_MAX_PIXELS,
  IMAGE_THUMBNAIL_MAX_EDGE,
  ImageMimeType,
} from '@natter/contracts';
import { createHash } from 'node:crypto';
import sharp, { Sharp } from 'sharp';
import { ImageFormat, MIME_BY_FORMAT, sniffImageFormat } from './image-sniffer';

/** Why an upload was refused; recorded in the `upload_rejected` audit event. */
export type ImageRejectionReason = 'type' | 'corrupt' | 'dimensions';

export class ImageRejectedError extends Error {
  constructor(
    readonly reason: ImageRejectionReason,
    message: string,
  ) {
    super(message);
    this.name = 'ImageRejectedError';
  }
}

export interface EncodedImage {
  data: Buffer;
  contentType: ImageMimeType;
  width: number;
  height: number;
  size: number;
  /** Hex sha256 of `data`; the strong ETag the file is served with. */
  sha256: string;
}

export interface ProcessedImage {
  image: EncodedImage;
  thumbnail: EncodedImage;
}

export interface ImageProcessingOptions {
  maxPixels?: number;
  maxFrames?: number;
  thumbnailEdge?: number;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * Turns untrusted bytes into a freshly encoded image and a thumbnail, or refuses them.
 *
 * - The format comes from the magic bytes and must agree with what the decoder finds.
 * - Dimensions are read from the header and checked before any pixel is decoded, and the
 *   decoder itself is capped (`limitInputPixels`), so a small file that expands to
 *   gigabytes of pixels is refused instead of exhausting memory.
 * - The pixels are re-encoded: EXIF orientation is applied and every metadata block (EXIF
 *   with GPS, XMP, ICC, comments) is dropped, because sharp writes none unless asked to.
 *   Anything appended to or hidden inside the original (a polyglot's HTML or script)
 *   does not survive. The format is kept: PNG→PNG, JPEG→JPEG, WebP→WebP, GIF→GIF (an
 *   animated GIF or WebP stays animated, within the frame and pixel caps).
 * - The thumbnail is WebP, at most `thumbnailEdge` pixels on its longer side, first frame only.
 */
export async function processImage(
  input: Buffer,
  options: ImageProcessingOptions = {},
): Promise<ProcessedImage> {
  const maxPixels = options.maxPixels ?? IMAGE_MAX_PIXELS;
  const maxFrames = options.maxFrames ?? IMAGE_MAX_FRAMES;
  const thumbnailEdge = options.thumbnailEdge ?? IMAGE_THUMBNAIL_MAX_EDGE;

  const format = sniffImageFormat(input);
  if (!format)
    throw new ImageRejectedError('type', 'Only PNG, JPEG, GIF and WebP images are accepted');

  // Header only: no pixels are decoded here, so the pixel cap is checked by us, below.
  const metadata = await sharp(input, { limitInputPixels: false })
    .metadata()
    .catch(() => {
      throw new ImageRejectedError('corrupt', 'The image could not be read');
    });
  if (metadata.format !== format) {
    throw new ImageRejectedError(
      'type',
      'The file content does not match a supported image format',
    );
  }
  const width = metadata.width ?? 0;
  const height = metadata.height ?? 0;
  const frames = Math.max(1, metadata.pages ?? 1);
  if (width < 1 || height < 1)
    throw new ImageRejectedError('corrupt', 'The image has no dimensions');
  if (frames > maxFrames || width * height > maxPixels || width * height * frames > maxPixels) {
    throw new ImageRejectedError('dimensions', 'The image dimensions are too large');
  }

  const animated = frames > 1 && (format === 'gif' || format === 'webp');
  const image = await encode(decoder(input, maxPixels, animated), format, animated);
  const thumbnail = await encode(
    sharp(image.data, { limitInputPixels: maxPixels })
      .resize(thumbnailEdge, thumbnailEdge, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 }),
    'webp',
    false,
  );
  return { image, thumbnail };
}

function decoder(input: Buffer, maxPixels: number, animated: boolean): Sharp {
  // failOn 'warning' (the default, made explicit) refuses truncated and damaged files
  // instead of serving a half-grey picture.
  const pipeline = sharp(input, { limitInputPixels: maxPixels, failOn: 'warning', animated });
  // Auto-orientation (EXIF) only exists for still images; sharp refuses it on multi-page input.
  return animated ? pipeline : pipeline.rotate();
}

async function encode(
  pipeline: Sharp,
  format: ImageFormat,
  animated: boolean,
): Promise<EncodedImage> {
  const output = (() => {
    switch (format) {
      case 'png':
        return pipeline.png({ compressionLevel: 9 });
      case 'jpeg':
        return pipeline.jpeg({ quality: 88, mozjpeg: true });
      case 'gif':
        return pipeline.gif();
      case 'webp':
        return pipeline.webp({ quality: 88 });
    }
  })();
  const { data, info } = await output
    .toBuffer({ resolveWithObject: true })
    .catch((error: Error) => {
      if (/pixel limit/i.test(error.message)) {
        throw new ImageRejectedError('dimensions', 'The image dimensions are too large');
      }
      throw new ImageRejectedError('corrupt', 'The image could not be decoded');
    });
  return {
    data,
    contentType: MIME_BY_FORMAT[format],
    width: info.width,
    height: animated && info.pageHeight ? info.pageHeight : info.height,
    size: data.length,
    sha256: sha256(data),
  };
}
