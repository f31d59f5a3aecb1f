import { checkImageContent, NOT_AN_IMAGE, sniffImageType } from './image-sniffing';

const bytes = (...values: number[]) => new Uint8Array(values);
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13];
const WEBP = [0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50];

describe('image content sniffing (magic bytes)', () => {
  it('recognises PNG, JPEG, GIF and WebP by their signatures', () => {
    expect(sniffImageType(bytes(...PNG))).toBe('image/png');
    expect(sniffImageType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg');
    expect(sniffImageType(bytes(0x47, 0x49, 0x46, 0x38, 0x39, 0x61))).toBe('image/gif');
    expect(sniffImageType(bytes(0x47, 0x49, 0x46, 0x38, 0x37, 0x61))).toBe('image/gif');
    expect(sniffImageType(bytes(...WEBP))).toBe('image/webp');
  });

  it('refuses text, SVG, a RIFF that is not WebP and truncated signatures', () => {
    expect(sniffImageType(new TextEncoder().encode('hello, I am a .png'))).toBeNull();
    expect(
      sniffImageType(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg">')),
    ).toBeNull();
    expect(
      sniffImageType(bytes(0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x41, 0x56, 0x49, 0x20)),
    ).toBeNull();
    expect(sniffImageType(bytes(0x89, 0x50, 0x4e))).toBeNull();
    expect(sniffImageType(bytes())).toBeNull();
  });

  it('checks a File by its content, not its name or declared type', async () => {
    const fake = new File(['not an image at all'], 'holiday.png', { type: 'image/png' });
    await expect(checkImageContent(fake)).resolves.toBe(NOT_AN_IMAGE);
    const real = new File([bytes(...PNG)], 'whatever.txt', { type: 'image/png' });
    await expect(checkImageContent(real)).resolves.toBeNull();
  });
});
