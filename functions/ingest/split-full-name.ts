/** Two-character Chinese family names (复姓): for names of three or more characters starting so. */
export const COMPOUND_SURNAMES: ReadonlySet<string> = new Set([
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '长孙',
  '宇文',
  '司徒',
  '夏侯',
  '轩辕',
  '令狐',
  '钟离',
  '端木',
  '申屠',
  '独孤',
  '南宫',
  '西门',
  '闻人',
  '澹台',
  '公羊',
  '太史',
  '呼延',
]);

const CJK_NAME = /^[\p{Script=Han}·・]+$/u;
const HANGUL_NAME = /^\p{Script=Hangul}+$/u;
const TITLES = new Set([
  'mr',
  'mrs',
  'ms',
  'miss',
  'mx',
  'dr',
  'prof',
  'sir',
  'madam',
  'herr',
  'frau',
  'mme',
  'mlle',
]);
/** Lower-case words that start a family name (`van Beethoven`, `de la Cruz`, `von der Leyen`). */
const PARTICLES = new Set([
  'van',
  'von',
  'de',
  'der',
  'den',
  'del',
  'della',
  'di',
  'da',
  'du',
  'la',
  'le',
  'ter',
  'ten',
  'dos',
  'das',
  'bin',
  'al',
]);

const SUFFIXES = /^\s*(?:jr|sr|ii|iii|iv|phd|md|esq)\.?\s*$/i;

export interface SplitName {
  readonly firstName?: string;
  readonly lastName?: string;
}

/**
 * A full name as first and last name. Rules:
 * - Chinese (Han characters only, e.g. `王小明`): the first character is the family name, or the
 *   first two for a known compound surname (`欧阳娜娜`) when the name has 3+ characters; Korean
 *   Hangul names likewise take the first character.
 * - `Last, First`: the part before the comma is the family name.
 * - Otherwise words: titles (Mr, Dr...) dropped; the last word is the family name, together with the
 *   particles before it (`Ludwig van Beethoven` -> Ludwig / van Beethoven); the rest is the first
 *   name. One word is a first name only.
 * Expects cleaned text (NFKC, single spaces).
 */
export const splitFullName = (fullName: string): SplitName => {
  if (fullName === '') return {};
  let name = fullName;
  let suffix = '';
  const lastComma = name.lastIndexOf(',');
  if (lastComma > 0 && SUFFIXES.test(name.slice(lastComma + 1))) {
    suffix = ` ${name.slice(lastComma + 1).trim()}`;
    name = name.slice(0, lastComma).trim();
  }
  const compact = name.replace(/ /g, '');
  if (CJK_NAME.test(compact) || HANGUL_NAME.test(compact)) {
    const chars = Array.from(compact.replace(/[·・]/g, ''));
    if (chars.length === 1) return { lastName: chars[0]! };
    const twoChar = chars.length >= 3 && COMPOUND_SURNAMES.has(chars[0]! + chars[1]!);
    const cut = twoChar ? 2 : 1;
    return { lastName: chars.slice(0, cut).join(''), firstName: chars.slice(cut).join('') };
  }
  const comma = name.indexOf(',');
  if (comma > 0) {
    const last = name.slice(0, comma).trim() + suffix;
    const first = name.slice(comma + 1).trim();
    return first === '' ? { lastName: last } : { firstName: first, lastName: last };
  }
  const words = name.split(' ');
  while (words.length > 1 && TITLES.has(words[0]!.toLowerCase().replace(/\.$/, ''))) words.shift();
  if (words.length === 1) return suffix ? { lastName: words[0]! + suffix } : { firstName: words[0]! };
  let start = words.length - 1;
  while (start > 1 && PARTICLES.has(words[start - 1]!)) start--;
  return { firstName: words.slice(0, start).join(' '), lastName: words.slice(start).join(' ') + suffix };
};
