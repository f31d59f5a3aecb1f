import { IMAGE_MAX_BYTES, IMAGE_MIME_TYPES } from '@natter/contracts/client';
import { formatBytes } from '../../lib/time';

export const IMAGE_ACCEPT = IMAGE_MIME_TYPES.join(',');

/** Client-side check before upload (the server re-checks the real content). */
export function validateImageFile(file: Pick<File, 'type' | 'size'>): string | null {
  if (!(IMAGE_MIME_TYPES as readonly string[]).includes(file.type)) {
    return 'Only PNG, JPEG, GIF and WebP images can be sent';
  }
  if (file.size > IMAGE_MAX_BYTES) {
    const limit = `${Math.floor(IMAGE_MAX_BYTES / (1024 * 1024))} MB`;
    return `That image is too large (${formatBytes(file.size)}): images can be at most ${limit}`;
  }
  if (file.size === 0) return 'That file is empty';
  return null;
}

/** Fit an image into a box, keeping its aspect ratio (for reserving layout space). */
export function fitWithin(
  width: number,
  height: number,
  max: number,
): { width: number; height: number } {
  if (!(width > 0) || !(height > 0)) return { width: max, height: Math.round(max * 0.75) };
  const scale = Math.min(1, max / width, max / height);
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}
