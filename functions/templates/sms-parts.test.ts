import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nonGsmCharacters, SMS_LIMITS, smsEncodingOf, smsParts, splitSms } from './sms-parts';

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '€[]{}\\^~|';

describe('smsEncodingOf', () => {
  it('is GSM-7 for the whole default alphabet and its extension', () => {
    expect(smsEncodingOf(GSM_BASIC + GSM_EXTENSION)).toBe('GSM-7');
  });
  it.each([
    ['a curly apostrophe', 'It’s on'],
    ['an emoji', 'Sale 🎉'],
    ['Chinese', '回复TD退订'],
    ['a lowercase c cedilla', 'façade'],
    ['a literal escape character', 'a\u001bb'],
  ])('is UCS-2 with %s', (_, text) => {
    expect(smsEncodingOf(text)).toBe('UCS-2');
  });
  it('names the characters that force UCS-2, each once', () => {
    expect(nonGsmCharacters('It’s 20% off – it’s 🎉')).toEqual(['’', '–', '🎉']);
    expect(nonGsmCharacters('Plain text')).toEqual([]);
  });
});

describe('smsParts, GSM-7', () => {
  it.each([
    [0, 0],
    [1, 1],
    [160, 1],
    [161, 2],
    [306, 2],
    [307, 3],
    [459, 3],
    [460, 4],
  ])('%i characters are %i parts', (n, parts) => {
    expect(smsParts('a'.repeat(n))).toEqual({ encoding: 'GSM-7', parts, characters: n });
  });
  it('counts every extension character twice', () => {
    expect(smsParts(GSM_EXTENSION)).toEqual({ encoding: 'GSM-7', parts: 1, characters: 18 });
    // 80 euro signs are 160 septets: one part; one more character makes two.
    expect(smsParts('€'.repeat(80)).parts).toBe(1);
    expect(smsParts(`${'€'.repeat(80)}a`)).toEqual({ encoding: 'GSM-7', parts: 2, characters: 161 });
  });
  it('never splits an escape pair, so a boundary can cost a part', () => {
    // 152 + 2 + 152 = 306 septets: two parts by arithmetic, but the € does not fit in part one.
    const text = `${'a'.repeat(152)}€${'b'.repeat(152)}`;
    const split = splitSms(text);
    expect(split.texts).toEqual(['a'.repeat(152), `€${'b'.repeat(151)}`, 'b']);
    expect(smsParts(text)).toEqual({ encoding: 'GSM-7', parts: 3, characters: 306 });
  });
});

describe('smsParts, UCS-2', () => {
  it.each([
    [70, 1],
    [71, 2],
    [134, 2],
    [135, 3],
  ])('%i characters are %i parts', (n, parts) => {
    expect(smsParts('ж'.repeat(n))).toEqual({ encoding: 'UCS-2', parts, characters: n });
  });
  it('counts UTF-16 code units: an emoji is two', () => {
    expect(smsParts('🎉'.repeat(35))).toEqual({ encoding: 'UCS-2', parts: 1, characters: 70 });
    expect(smsParts(`${'🎉'.repeat(35)}a`)).toEqual({ encoding: 'UCS-2', parts: 2, characters: 71 });
  });
  it('never splits a surrogate pair', () => {
    const text = `${'ж'.repeat(66)}😀${'ж'.repeat(66)}`;
    const { texts, parts } = splitSms(text);
    expect(parts).toBe(3);
    expect(texts).toEqual(['ж'.repeat(66), `😀${'ж'.repeat(65)}`, 'ж']);
  });
  it('makes extension characters single units once the text is UCS-2', () => {
    expect(smsParts('€ж')).toEqual({ encoding: 'UCS-2', parts: 1, characters: 2 });
  });
});

const smsText = fc.string({
  unit: fc.constantFrom(...'ab €{}ж', '😀', '\n', 'é'),
  maxLength: 700,
});

const unitsOf = (text: string, encoding: 'GSM-7' | 'UCS-2') =>
  encoding === 'UCS-2' ? text.length : [...text].reduce((n, c) => n + ('€[]{}\\^~|'.includes(c) ? 2 : 1), 0);

describe('splitSms, any text', () => {
  it('gives parts that join back into the text, each within its limit, no pair cut', () => {
    fc.assert(
      fc.property(smsText, (text) => {
        const { encoding, parts, texts, characters } = splitSms(text);
        expect(texts.join('')).toBe(text);
        expect(texts.length).toBe(parts);
        expect(smsParts(text)).toEqual({ encoding, parts, characters });
        const limit = parts > 1 ? SMS_LIMITS[encoding].perPart : SMS_LIMITS[encoding].single;
        for (const part of texts) {
          expect(unitsOf(part, encoding)).toBeLessThanOrEqual(limit);
          // A part starting with a low surrogate would be half an emoji.
          expect(part.charCodeAt(0) >= 0xdc00 && part.charCodeAt(0) <= 0xdfff).toBe(false);
        }
        // Greedy: every part but the last was full (the next character did not fit).
        for (let i = 0; i + 1 < texts.length; i++) {
          const next = [...texts[i + 1]!][0]!;
          expect(unitsOf(texts[i]! + next, encoding)).toBeGreaterThan(limit);
        }
      }),
    );
  });
});
