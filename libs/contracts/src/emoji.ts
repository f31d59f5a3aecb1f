import { REACTION_MAX_LENGTH } from './limits';

let rgiEmoji: RegExp | null | undefined;
/** `\p{RGI_Emoji}` needs the `v` flag (Node 20, current browsers); older engines fall back. */
function rgiEmojiPattern(): RegExp | null {
  if (rgiEmoji === undefined) {
    try {
      rgiEmoji = new RegExp('^\\p{RGI_Emoji}$', 'v');
    } catch {
      rgiEmoji = null;
    }
  }
  return rgiEmoji;
}
const PICTOGRAPHIC = /\p{Extended_Pictographic}|\p{Regional_Indicator}/u;

/**
 * True for exactly one user-perceived character (grapheme cluster, by Intl.Segmenter) that is
 * an emoji of the Unicode RGI set: skin tones, ZWJ sequences and flags included; letters,
 * digits, "#", two emoji or an emoji with text are not.
 */
export function isSingleEmoji(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > REACTION_MAX_LENGTH)
    return false;
  const graphemes = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(value)];
  if (graphemes.length !== 1) return false;
  const rgi = rgiEmojiPattern();
  return rgi ? rgi.test(value) : PICTOGRAPHIC.test(value);
}
