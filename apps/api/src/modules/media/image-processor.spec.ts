import 'reflect-metadata';
import sharp from 'sharp';
import { ImageRejectedError, processImage } from './image-processor';

const solid = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#3366cc' } });

const rejection = async (input: Buffer, options = {}) => {
  try {
    await processImage(input, options);
  } catch (error) {
    if (error instanceof ImageRejectedError) return error.reason;
    throw error;
  }
  throw new Error('expected a rejection');
};

describe('processImage', () => {
  it.each([
    ['png', 'image/png'],
    ['jpeg', 'image/jpeg'],
    ['gif', 'image/gif'],
    ['webp', 'image/webp'],
  ] as const)('keeps %s as %s and makes a WebP thumbnail', async (format, mime) => {
    const input = await solid(800, 400).toFormat(format).toBuffer();
    const { image, thumbnail } = await processImage(input);
    expect(image).toMatchObject({
      contentType: mime,
      width: 800,
      height: 400,
      size: image.data.length,
    });
    expect((await sharp(image.data).metadata()).format).toBe(format);
    expect(thumbnail).toMatchObject({ contentType: 'image/webp', width: 320, height: 160 });
    expect(image.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('applies EXIF orientation and drops EXIF', async () => {
    // Stored landscape, tagged "rotate 90° clockwise": the re-encoded image is portrait.
    const input = await solid(60, 20).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const { image } = await processImage(input);
    expect([image.width, image.height]).toEqual([20, 60]);
    expect((await sharp(image.data).metadata()).exif).toBeUndefined();
  });

  it('refuses a file whose bytes are not an image, whatever its name', async () => {
    expect(await rejection(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe('type');
    expect(await rejection(Buffer.from('<html><body>hi</body></html>'))).toBe('type');
  });

  it('refuses a GIF header followed by HTML (polyglot)', async () => {
    const gif = await solid(8, 8).gif().toBuffer();
    const polyglot = Buffer.concat([gif.subarray(0, 13), Buffer.from('<script>alert(1)</script>')]);
    expect(await rejection(polyglot)).toBe('corrupt');
  });

  it('refuses a truncated JPEG', async () => {
    const jpeg = await solid(64, 64).jpeg().toBuffer();
    expect(await rejection(jpeg.subarray(0, jpeg.length >> 1))).toBe('corrupt');
  });

  it('refuses dimensions over the pixel cap before decoding', async () => {
    const input = await solid(300, 200).png().toBuffer();
    expect(await rejection(input, { maxPixels: 300 * 200 - 1 })).toBe('dimensions');
    await expect(processImage(input, { maxPixels: 300 * 200 })).resolves.toBeDefined();
  });

  it('counts every frame of an animated GIF and keeps the animation', async () => {
    const frames = await Promise.all(
      ['#f00', '#0f0', '#00f'].map((c) =>
        sharp({ create: { width: 40, height: 30, channels: 3, background: c } })
          .raw()
          .toBuffer(),
      ),
    );
    const input = await sharp(Buffer.concat(frames), {
      raw: { width: 40, height: 90, channels: 3, pageHeight: 30 },
    })
      .gif()
      .toBuffer();
    const { image } = await processImage(input);
    expect([image.width, image.height]).toEqual([40, 30]);
    expect((await sharp(image.data).metadata()).pages).toBe(3);
    expect(await rejection(input, { maxPixels: 40 * 30 * 3 - 1 })).toBe('dimensions');
    expect(await rejection(input, { maxFrames: 2 })).toBe('dimensions');
  });
});
