import { IMAGE_MAX_BYTES } from '@natter/contracts/client';
import { fitWithin, validateImageFile } from './image-validation';

describe('image checks before upload', () => {
  it('accepts the contract types up to the size limit', () => {
    for (const type of ['image/png', 'image/jpeg', 'image/gif', 'image/webp']) {
      expect(validateImageFile({ type, size: IMAGE_MAX_BYTES })).toBeNull();
    }
  });

  it('refuses other types, empty files and files over the limit with a clear message', () => {
    expect(validateImageFile({ type: 'image/svg+xml', size: 10 })).toBe(
      'Only PNG, JPEG, GIF and WebP images can be sent',
    );
    expect(validateImageFile({ type: 'text/plain', size: 10 })).toMatch(/Only PNG/);
    expect(validateImageFile({ type: 'image/png', size: 0 })).toBe('That file is empty');
    expect(validateImageFile({ type: 'image/png', size: IMAGE_MAX_BYTES + 1 })).toBe(
      'That image is too large (5.0 MB): images can be at most 5 MB',
    );
  });

  it('reserves a box with the image aspect ratio', () => {
    expect(fitWithin(400, 300, 260)).toEqual({ width: 260, height: 195 });
    expect(fitWithin(100, 1000, 260)).toEqual({ width: 26, height: 260 });
    expect(fitWithin(50, 40, 260)).toEqual({ width: 50, height: 40 });
  });
});
