import 'reflect-metadata';
import { isSingleEmoji } from './emoji';
import { CHANGE_CURSOR_PATTERN } from './limits';

describe('isSingleEmoji', () => {
  it.each(['😀', '👍🏽', '🇯🇵', '👩‍💻', '🏳️‍🌈', '❤️', '1️⃣', '👨‍👩‍👧‍👦'])('accepts %s', (emoji) => {
    expect(isSingleEmoji(emoji)).toBe(true);
  });
  it.each(['', 'a', '1', '#', '*', '😀😀', '😀 ', 'a😀', '\u200d', 'é', '<img>', '😀'.repeat(40)])(
    'refuses %j',
    (value) => {
      expect(isSingleEmoji(value)).toBe(false);
    },
  );
  it('refuses non-strings', () => {
    for (const value of [null, undefined, 1, ['😀'], { emoji: '😀' }])
      expect(isSingleEmoji(value)).toBe(false);
  });
});

describe('CHANGE_CURSOR_PATTERN', () => {
  it('takes "<changeSeq>.<messageSeq>" only', () => {
    for (const ok of ['0.0', '12.345', '999999999999999.1'])
      expect(CHANGE_CURSOR_PATTERN.test(ok)).toBe(true);
    for (const bad of [
      '',
      '1',
      '01.1',
      '1.01',
      '-1.0',
      '1.0.0',
      '1e2.0',
      ' 1.0',
      '1.0 ',
      '9999999999999999.0',
    ])
      expect(CHANGE_CURSOR_PATTERN.test(bad)).toBe(false);
  });
});
