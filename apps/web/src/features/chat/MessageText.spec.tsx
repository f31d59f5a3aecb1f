import { render } from '@testing-library/react';
import { safeHref } from './link-rules';
import { MessageText } from './MessageText';

function links(text: string) {
  const { container } = render(<MessageText text={text} />);
  const p = container.querySelector('p')!;
  return { p, anchors: Array.from(p.querySelectorAll('a')) };
}

describe('linkified message text', () => {
  it('turns http and https addresses into safe new-tab links, keeping the text around them', () => {
    const { p, anchors } = links('see https://example.com/a?b=1#c and http://natter.test:8080/x.');
    expect(anchors.map((a) => a.getAttribute('href'))).toEqual([
      'https://example.com/a?b=1#c',
      'http://natter.test:8080/x',
    ]);
    for (const a of anchors) {
      expect(a.getAttribute('target')).toBe('_blank');
      expect(a.getAttribute('rel')).toBe('noopener noreferrer');
    }
    expect(p.textContent).toBe('see https://example.com/a?b=1#c and http://natter.test:8080/x.');
  });

  it.each([
    ['javascript:', 'javascript:alert(1)'],
    ['javascript: with slashes', 'javascript://example.com/%0Aalert(1)'],
    ['data:', 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='],
    ['vbscript:', 'vbscript:msgbox(1)'],
    ['file:', 'file:///etc/passwd'],
    ['ftp:', 'ftp://example.com/file'],
    ['a schemeless host', 'go to example.com now'],
    ['www without a scheme', 'www.example.com'],
    ['an email address', 'mail me at someone@example.com'],
    ['a misspelt scheme', 'hxxp://evil.example and https//evil.example and http:/evil.example'],
    ['credentials that hide the real host', 'https://bank.example@evil.example/login'],
    ['a look-alike host in another script', 'https://аpple.com/login'],
    ['a punycode host', 'https://xn--pple-43d.com/'],
    ['a backslash authority', 'https://evil.example\\@bank.example/'],
  ])('%s stays text', (_label, text) => {
    const { p, anchors } = links(text);
    expect(anchors).toHaveLength(0);
    expect(p.textContent).toBe(text);
  });

  it('never makes markup from the text itself', () => {
    const payload = '<a href="javascript:alert(1)">x</a><img src=x onerror=alert(1)> **bold**';
    const { p, anchors } = links(payload);
    expect(anchors).toHaveLength(0);
    expect(p.querySelector('img')).toBeNull();
    expect(p.textContent).toBe(payload);
  });

  it('safeHref keeps only explicit http(s) addresses', () => {
    expect(safeHref('HTTPS://Example.com/Path')).toBe('https://example.com/Path');
    expect(safeHref('https://example.com:443/')).toBe('https://example.com/');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('https://user:pw@example.com')).toBeNull();
    expect(safeHref('example.com')).toBeNull();
  });
});
