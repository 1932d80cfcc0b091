import iconv from 'iconv-lite';
import { type Charset, charsetOfBom, guessCharset, utf16WithoutBom } from './detect-charset';

export interface CharsetReport {
  charset: Charset;
  /** How it was chosen: declared in the manifest, announced by a BOM, detected, or only ASCII seen. */
  source: 'manifest' | 'bom' | 'detected' | 'ascii';
  reason: string;
  bom: boolean;
  /** Characters that could not be decoded and became U+FFFD (reported, never silent). */
  replacements: number;
}

/** Bytes of non-ASCII text inspected before choosing a charset. */
const DETECTION_WINDOW = 64 * 1024;
const HIGH_BYTE = (b: number) => b >= 0x80;

const countReplacements = (text: string): number => {
  let count = 0;
  let at = text.indexOf('\ufffd');
  while (at >= 0) {
    count++;
    at = text.indexOf('\ufffd', at + 1);
  }
  return count;
};

const firstHighByte = (chunk: Uint8Array): number => {
  for (let i = 0; i < chunk.length; i++) if (HIGH_BYTE(chunk[i]!)) return i;
  return -1;
};

const concat = (chunks: Uint8Array[]): Buffer => Buffer.concat(chunks);
const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * Decodes a byte stream to text, streaming. Order: the manifest's charset; else a BOM (UTF-8,
 * UTF-16LE/BE); else UTF-16 seen from zero bytes; else the choice is made where the first non-ASCII
 * byte occurs, on a 64 KB window from there (see `guessCharset`): everything before it is ASCII,
 * the same in every candidate charset. `report` is filled in as decisions are made.
 */
export async function* decodeText(
  chunks: AsyncIterable<Uint8Array>,
  declared: Charset | undefined,
  report: CharsetReport,
): AsyncGenerator<string> {
  let decoder: ReturnType<typeof iconv.getDecoder> | undefined;
  const use = (charset: Charset) => {
    report.charset = charset;
    decoder = iconv.getDecoder(charset, { stripBOM: true });
  };
  const emit = (text: string) => {
    if (text.length > 0 && text.includes('\ufffd')) report.replacements += countReplacements(text);
    return text;
  };
  let head: Uint8Array[] = [];
  let headLength = 0;
  /** Non-ASCII bytes waiting for a decision, from the first high byte on. */
  let pending: Uint8Array[] = [];
  let pendingLength = 0;
  let started = false;
  const decide = (atEnd: boolean): string => {
    const window = concat(pending);
    const guess = guessCharset(window, atEnd);
    use(guess.charset);
    report.source = 'detected';
    report.reason = guess.reason;
    pending = [];
    pendingLength = 0;
    return emit(decoder!.write(window));
  };
  const start = (bytes: Buffer): string | undefined => {
    started = true;
    const bom = charsetOfBom(bytes);
    if (declared) {
      use(declared);
      report.source = 'manifest';
      report.reason = `declared ${declared}`;
      report.bom = bom !== undefined;
    } else if (bom) {
      use(bom.charset);
      report.source = 'bom';
      report.reason = `byte-order mark of ${bom.charset}`;
      report.bom = true;
    } else {
      const utf16 = utf16WithoutBom(bytes);
      if (utf16) {
        use(utf16);
        report.source = 'detected';
        report.reason = `${utf16} without a byte-order mark (zero bytes in every other position)`;
      }
    }
    return decoder ? emit(decoder.write(bytes)) : undefined;
  };
  /** Undecided and ASCII so far: pass ASCII through, collect from the first high byte on. */
  const undecided = (bytes: Uint8Array): string => {
    if (pendingLength > 0) {
      pending.push(bytes);
      pendingLength += bytes.length;
      return pendingLength >= DETECTION_WINDOW ? decide(false) : '';
    }
    const high = firstHighByte(bytes);
    if (high < 0) return asBuffer(bytes).toString('latin1');
    const ascii = asBuffer(bytes).toString('latin1', 0, high);
    pending.push(bytes.subarray(high));
    pendingLength += bytes.length - high;
    return ascii + (pendingLength >= DETECTION_WINDOW ? decide(false) : '');
  };

  for await (const chunk of chunks) {
    if (chunk.length === 0) continue;
    if (!started) {
      head.push(chunk);
      headLength += chunk.length;
      if (headLength < 4096) continue;
      const first = start(concat(head));
      if (first !== undefined) {
        head = [];
        if (first) yield first;
        continue;
      }
      const bytes = concat(head);
      head = [];
      const text = undecided(bytes);
      if (text) yield text;
      continue;
    }
    const text = decoder ? emit(decoder.write(asBuffer(chunk))) : undecided(chunk);
    if (text) yield text;
  }
  if (!started && headLength > 0) {
    const first = start(concat(head));
    if (first !== undefined) {
      if (first) yield first;
    } else {
      const text = undecided(concat(head));
      if (text) yield text;
    }
  }
  if (!decoder && pendingLength > 0) {
    const text = decide(true);
    if (text) yield text;
  }
  if (decoder) {
    const rest = decoder.end();
    if (rest) yield emit(rest);
  } else if (!declared) {
    report.charset = 'utf-8';
    report.source = 'ascii';
    report.reason = 'only ASCII: read as UTF-8';
  }
}
