import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { openPerson, Person, screenshot } from './support/browser';
import { uniqueName } from './support/expect';
import { becomeContacts, contactItem, signUpInBrowser } from './support/people';
import { RunningServer, startServer } from './support/server';

describe('sending a picture', () => {
  let server: RunningServer;
  let alice: Person;
  let bob: Person;

  beforeAll(async () => {
    server = await startServer('images');
    [alice, bob] = await Promise.all([openPerson(), openPerson()]);
  });
  afterAll(async () => {
    await Promise.all([alice?.close(), bob?.close()]);
    await server?.stop();
  });

  it('A attaches a picture, B sees the thumbnail live and opens it full size', async () => {
    const aName = uniqueName('alice');
    const bName = uniqueName('bob');
    await signUpInBrowser(alice.page, server.url, aName);
    await signUpInBrowser(bob.page, server.url, bName);
    await becomeContacts(alice.page, bob.page, bName, aName);

    const dir = mkdtempSync(join(tmpdir(), 'natter-image-'));
    const file = join(dir, 'sunset.png');
    // A 640×400 gradient-ish picture: wide, so the reserved aspect ratio is checkable.
    const png = await sharp({
      create: { width: 640, height: 400, channels: 3, background: { r: 240, g: 120, b: 40 } },
    })
      .composite([
        {
          input: Buffer.from(
            '<svg width="640" height="400"><circle cx="320" cy="200" r="120" fill="#ffd000"/></svg>',
          ),
          top: 0,
          left: 0,
        },
      ])
      .png()
      .toBuffer();
    writeFileSync(file, png);

    await contactItem(alice.page, bName).getByTestId('contact-link').click();
    await contactItem(bob.page, aName).getByTestId('contact-link').click();
    await alice.page.getByTestId('composer-input').fill('caption kept');
    await alice.page.getByTestId('attach-input').setInputFiles(file);
    await alice.page.getByTestId('attachment-preview').waitFor();
    expect(await alice.page.getByTestId('composer-input').inputValue()).toBe('caption kept');
    await screenshot(alice.page, 'image-preview');
    await alice.page.getByTestId('send-button').click();

    const thumbnail = bob.page.getByTestId('message-thumbnail').first();
    await thumbnail.waitFor({ timeout: 20_000 });
    await bob.page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[data-testid="message-thumbnail"]');
      return !!img && img.complete && img.naturalWidth > 0 && img.src.startsWith('blob:');
    });
    // The box keeps the picture's aspect ratio (640×400 = 1.6).
    const box = await bob.page.getByTestId('message-image').first().boundingBox();
    expect(box!.width / box!.height).toBeCloseTo(1.6, 1);
    // No credential in the image URL.
    expect(await thumbnail.getAttribute('src')).toMatch(/^blob:/);
    await screenshot(bob.page, 'image-received');

    await bob.page.getByTestId('message-image').first().click();
    const full = bob.page.getByTestId('lightbox-image');
    await full.waitFor();
    await bob.page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('[data-testid="lightbox-image"]');
      return !!img && img.complete && img.naturalWidth === 640;
    });
    await screenshot(bob.page, 'image-lightbox');
    await bob.page.keyboard.press('Escape');
    await full.waitFor({ state: 'detached' });
  });
});
