import { isUtf8 } from 'node:buffer';
import type { CHARSETS } from './manifest';

export type Charset = (typeof CHARSETS)[number];

/** The charset a byte-order mark announces, and its length; undefined without a BOM. */
export const charsetOfBom = (bytes: Uint8Array): { charset: Charset; bomLength: number } | undefined => {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { charset: 'utf-8', bomLength: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { charset: 'utf-16le', bomLength: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { charset: 'utf-16be', bomLength: 2 };
  return undefined;
};

/**
 * UTF-16 without a BOM, from the start of a file: text of mostly ASCII has a zero in every other
 * byte. Undefined unless at least 40% of the code units look like that (and the other half never does).
 */
export const utf16WithoutBom = (bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined => {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 8) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const units = n / 2;
  if (oddZeros >= units * 0.4 && evenZeros === 0) return 'utf-16le';
  if (evenZeros >= units * 0.4 && oddZeros === 0) return 'utf-16be';
  return undefined;
};

/** Bytes at the end of `bytes` that may be the start of an unfinished UTF-8 sequence. */
const unfinishedUtf8Tail = (bytes: Uint8Array): number => {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back]!;
    if ((b & 0xc0) === 0x80) continue;
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return need > back ? back : 0;
    }
    return 0;
  }
  return 0;
};

export interface Gb18030Evidence {
  /** Two-byte characters in the GB2312 block (both bytes A1-FE): common Chinese text. */
  readonly common: number;
  /** Other valid two- and four-byte sequences (GBK extensions, GB18030 four-byte). */
  readonly other: number;
  /** Byte sequences GB18030 cannot decode. */
  readonly invalid: number;
}

/** Reads `bytes` as GB18030 byte structure (no decoding), counting what it finds. */
export const gb18030Evidence = (bytes: Uint8Array, atEnd: boolean): Gb18030Evidence => {
  let common = 0;
  let other = 0;
  let invalid = 0;
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    if (b === 0x80 || b === 0xff) {
      invalid++;
      i++;
      continue;
    }
    if (i + 1 >= n) {
      if (atEnd) invalid++;
      break;
    }
    const b2 = bytes[i + 1]!;
    if ((b2 >= 0x40 && b2 <= 0x7e) || (b2 >= 0x80 && b2 <= 0xfe)) {
      if (b >= 0xa1 && b <= 0xf7 && b2 >= 0xa1) common++;
      else other++;
      i += 2;
    } else if (b2 >= 0x30 && b2 <= 0x39) {
      if (i + 3 >= n) {
        if (atEnd) invalid++;
        break;
      }
      const b3 = bytes[i + 2]!;
      const b4 = bytes[i + 3]!;
      if (b3 >= 0x81 && b3 <= 0xfe && b4 >= 0x30 && b4 <= 0x39) {
        other++;
        i += 4;
      } else {
        invalid++;
        i++;
      }
    } else {
      invalid++;
      i++;
    }
  }
  return { common, other, invalid };
};

export interface CharsetGuess {
  readonly charset: 'utf-8' | 'gb18030' | 'windows-1252';
  /** Why, for the import report. */
  readonly reason: string;
}

/**
 * The charset of bytes holding non-ASCII text, when nothing declares it:
 * 1. valid UTF-8 (ignoring a sequence cut at the window's end) -> `utf-8`;
 * 2. else, when every high byte forms a valid GB18030 sequence and at least 60% of them are in the
 *    GB2312 block (both bytes A1-FE, which is how Chinese text looks, whereas accented Latin letters
 *    are single high bytes next to ASCII) -> `gb18030` (a superset of GBK and GB2312);
 * 3. else `windows-1252` (a superset of printable ISO-8859-1).
 */
export const guessCharset = (window: Uint8Array, atEnd: boolean): CharsetGuess => {
  const tail = atEnd ? 0 : unfinishedUtf8Tail(window);
  if (isUtf8(tail > 0 ? window.subarray(0, window.length - tail) : window)) {
    return { charset: 'utf-8', reason: 'valid UTF-8' };
  }
  const gb = gb18030Evidence(window, atEnd);
  const total = gb.common + gb.other;
  if (gb.invalid === 0 && total > 0 && gb.common / total >= 0.6) {
    return {
      charset: 'gb18030',
      reason: `not UTF-8; ${gb.common} of ${total} multi-byte characters are common Chinese (GB2312 block)`,
    };
  }
  return {
    charset: 'windows-1252',
    reason:
      gb.invalid > 0
        ? 'neither UTF-8 nor GB18030: read as Windows-1252'
        : 'not UTF-8, and its high bytes do not look like Chinese text: read as Windows-1252',
  };
};
