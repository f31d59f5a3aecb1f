import type { ImageMimeType } from '@natter/contracts/client';

/**
 * What a file really is, from its first bytes (the same signatures the server checks), so a
 * text file renamed `.png` is refused in the composer instead of failing after upload with a
 * Retry that can never work.
 */
export function sniffImageType(head: Uint8Array): ImageMimeType | null {
  const starts = (bytes: number[], offset = 0) =>
    head.length >= offset + bytes.length && bytes.every((b, i) => head[offset + i] === b);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x47, 0x49, 0x46, 0x38, 0x37, 0x61]) || starts([0x47, 0x49, 0x46, 0x38, 0x39, 0x61]))
    return 'image/gif';
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  return null;
}

export const NOT_AN_IMAGE =
  'That file is not a real PNG, JPEG, GIF or WebP image, whatever its name says';

async function readHead(file: Blob, bytes: number): Promise<Uint8Array> {
  const slice = file.slice(0, bytes);
  if (typeof slice.arrayBuffer === 'function') return new Uint8Array(await slice.arrayBuffer());
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
    reader.onerror = () => reject(reader.error ?? new Error('Could not read the file'));
    reader.readAsArrayBuffer(slice);
  });
}

/** null when the file's content is one of the accepted image formats; otherwise why not. */
export async function checkImageContent(file: Blob): Promise<string | null> {
  try {
    return sniffImageType(await readHead(file, 16)) ? null : NOT_AN_IMAGE;
  } catch {
    return 'That file could not be read';
  }
}
