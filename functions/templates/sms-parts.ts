// How an SMS is encoded and split into parts, as carriers bill it (3GPP TS 23.038 and 23.040).
// One character outside the GSM 7-bit default alphabet makes the whole message UCS-2. A single part
// holds 160 GSM-7 septets or 70 UCS-2 code units; once split, each part loses room to the
// concatenation header and holds 153 septets or 67 code units. Two things take two units and are
// never cut in half by a part boundary: a GSM-7 extension character (an escape septet, then the
// character) and, in UCS-2, a character outside the Basic Multilingual Plane (an emoji: a UTF-16
// surrogate pair). So a boundary can leave a part one unit short, and counting parts as
// ceil(units / 153) is wrong.

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsParts {
  readonly encoding: SmsEncoding;
  /** Parts the message is sent as (0 for an empty text). */
  readonly parts: number;
  /** Units the limits count: GSM-7 septets (an extension character counts 2) or UTF-16 code units. */
  readonly characters: number;
}

export const SMS_LIMITS: Readonly<Record<SmsEncoding, { single: number; perPart: number }>> = {
  'GSM-7': { single: 160, perPart: 153 },
  'UCS-2': { single: 70, perPart: 67 },
};

// The default alphabet, in table order. ESC (0x1B) is left out on purpose: it is the prefix of the
// extension table, not a character a text can hold, so a literal ESC makes the text UCS-2.
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
    '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** Sent as an escape septet and the character: two septets each. Form feed is in the table too. */
const GSM7_EXTENSION = new Set('€[]{}\\^~|\f');

/** Septets a character takes in GSM-7, or 0 when it has no GSM-7 encoding. */
const septetsOf = (char: string): number => (GSM7_BASIC.has(char) ? 1 : GSM7_EXTENSION.has(char) ? 2 : 0);

/** GSM-7 when every character is in the default alphabet or its extension, else UCS-2. */
export const smsEncodingOf = (text: string): SmsEncoding => {
  for (const char of text) if (septetsOf(char) === 0) return 'UCS-2';
  return 'GSM-7';
};

/** The characters that force UCS-2, each once, in order of appearance (tell a marketer why). */
export const nonGsmCharacters = (text: string): string[] => {
  const found = new Set<string>();
  for (const char of text) if (septetsOf(char) === 0) found.add(char);
  return [...found];
};

// Iterating a string by code point keeps a surrogate pair together (a lone surrogate is one unit).
const unitsOf = (char: string, encoding: SmsEncoding): number =>
  encoding === 'GSM-7' ? septetsOf(char) : char.length;

interface Layout {
  readonly encoding: SmsEncoding;
  readonly characters: number;
  /** Where each part after the first starts, as UTF-16 offsets into the text. */
  readonly starts: number[];
}

/** Greedy packing (optimal for parts taken in order): a character goes to the next part when it does not fit. */
const layOut = (text: string): Layout => {
  const encoding = smsEncodingOf(text);
  const { single, perPart } = SMS_LIMITS[encoding];
  let characters = 0;
  for (const char of text) characters += unitsOf(char, encoding);
  const starts: number[] = [];
  if (characters <= single) return { encoding, characters, starts };
  let used = 0;
  let offset = 0;
  for (const char of text) {
    const units = unitsOf(char, encoding);
    if (used + units > perPart) {
      starts.push(offset);
      used = 0;
    }
    used += units;
    offset += char.length;
  }
  return { encoding, characters, starts };
};

/** Encoding, part count and length of a text as it will be sent. */
export const smsParts = (text: string): SmsParts => {
  const { encoding, characters, starts } = layOut(text);
  return { encoding, parts: characters === 0 ? 0 : starts.length + 1, characters };
};

/** The texts of the parts, in order: joined, they are the text. */
export const splitSms = (text: string): SmsParts & { texts: string[] } => {
  const { encoding, characters, starts } = layOut(text);
  if (characters === 0) return { encoding, parts: 0, characters, texts: [] };
  const bounds = [0, ...starts, text.length];
  const texts = bounds.slice(1).map((end, i) => text.slice(bounds[i], end));
  return { encoding, parts: texts.length, characters, texts };
};
