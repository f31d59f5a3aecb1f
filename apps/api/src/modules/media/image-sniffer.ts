import type { ImageMimeType } from '@natter/contracts';

/** The formats we accept, named as sharp names them. */
export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp';

export const MIME_BY_FORMAT: Record<ImageFormat, ImageMimeType> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
};

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const startsWith = (buffer: Buffer, bytes: number[], offset = 0) =>
  buffer.length >= offset + bytes.length &&
  bytes.every((byte, index) => buffer[offset + index] === byte);
const ascii = (text: string) => [...text].map((char) => char.charCodeAt(0));

/**
 * Decides the image format from the file's first bytes only. The client's file name and
 * declared type are never consulted: an HTML page named photo.jpg is not an image.
 */
export function sniffImageFormat(buffer: Buffer): ImageFormat | null {
  if (startsWith(buffer, PNG_SIGNATURE)) return 'png';
  // SOI followed by the first marker's 0xFF.
  if (startsWith(buffer, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(buffer, ascii('GIF87a')) || startsWith(buffer, ascii('GIF89a'))) return 'gif';
  if (startsWith(buffer, ascii('RIFF')) && startsWith(buffer, ascii('WEBP'), 8)) return 'webp';
  return null;
}
