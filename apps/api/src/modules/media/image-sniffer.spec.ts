import { sniffImageFormat } from './image-sniffer';

const bytes = (...values: (number | string)[]) =>
  Buffer.concat(
    values.map((value) =>
      typeof value === 'string' ? Buffer.from(value, 'latin1') : Buffer.from([value]),
    ),
  );

describe('sniffImageFormat', () => {
  it('recognises the four accepted formats by their signatures', () => {
    expect(sniffImageFormat(bytes(0x89, 'PNG\r\n\x1a\n', 'rest'))).toBe('png');
    expect(sniffImageFormat(bytes(0xff, 0xd8, 0xff, 0xe0, 'JFIF'))).toBe('jpeg');
    expect(sniffImageFormat(bytes('GIF87a', 'rest'))).toBe('gif');
    expect(sniffImageFormat(bytes('GIF89a', 'rest'))).toBe('gif');
    expect(sniffImageFormat(bytes('RIFF', 0, 0, 0, 0, 'WEBPVP8 '))).toBe('webp');
  });

  it('refuses text formats, whatever they pretend to be', () => {
    expect(
      sniffImageFormat(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>')),
    ).toBeNull();
    expect(sniffImageFormat(Buffer.from('<?xml version="1.0"?><svg/>'))).toBeNull();
    expect(sniffImageFormat(Buffer.from('<!doctype html><script>alert(1)</script>'))).toBeNull();
    expect(sniffImageFormat(Buffer.from(' \n<html>'))).toBeNull();
  });

  it('refuses other binary formats and near misses', () => {
    expect(sniffImageFormat(bytes('RIFF', 0, 0, 0, 0, 'WAVEfmt '))).toBeNull(); // a WAV file
    expect(sniffImageFormat(bytes('BM', 0, 0))).toBeNull(); // BMP
    expect(sniffImageFormat(bytes('II*', 0))).toBeNull(); // TIFF
    expect(sniffImageFormat(bytes('%PDF-1.7'))).toBeNull();
    expect(sniffImageFormat(bytes(0x89, 'PNG\r\n'))).toBeNull(); // truncated signature
    expect(sniffImageFormat(bytes('GIF88a'))).toBeNull();
    expect(sniffImageFormat(bytes(0xff, 0xd8))).toBeNull();
  });

  it('handles empty and tiny buffers', () => {
    expect(sniffImageFormat(Buffer.alloc(0))).toBeNull();
    expect(sniffImageFormat(Buffer.from([0x89]))).toBeNull();
    expect(sniffImageFormat(bytes('RIFF'))).toBeNull();
  });
});
