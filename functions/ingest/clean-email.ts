import { z } from 'zod';
import { cleanText } from './clean-text';
import { bad, type Cleaned, ok } from './cleaned';
import { isFormulaCell } from './formula-cell';

/** The API's own email syntax (zod's), so an address accepted here is accepted over HTTP. */
const EMAIL_SYNTAX = z.regexes.email;

/** Big mailbox providers: a domain one or two edits away from one of these is probably a typo. */
export const BIG_EMAIL_DOMAINS = [
  'gmail.com',
  'googlemail.com',
  'hotmail.com',
  'hotmail.co.uk',
  'hotmail.fr',
  'outlook.com',
  'live.com',
  'msn.com',
  'yahoo.com',
  'yahoo.co.uk',
  'yahoo.fr',
  'ymail.com',
  'icloud.com',
  'me.com',
  'aol.com',
  'protonmail.com',
  'proton.me',
  'gmx.de',
  'gmx.net',
  'web.de',
  'orange.fr',
  'free.fr',
  'btinternet.com',
  'comcast.net',
  'qq.com',
  'foxmail.com',
  '163.com',
  '126.com',
  'yeah.net',
  'sina.com',
  'sina.cn',
  'sohu.com',
  '139.com',
  'aliyun.com',
] as const;
const BIG = new Set<string>(BIG_EMAIL_DOMAINS);
/** Real domains close to a big one: never reported as typos. */
const NOT_TYPOS = new Set([
  'mail.com',
  'email.com',
  'gmx.com',
  'gmx.at',
  'gmx.ch',
  'mail.ru',
  'yandex.ru',
  'yandex.com',
  'hotmail.de',
  'hotmail.it',
  'hotmail.es',
  'live.de',
  'live.fr',
  'live.nl',
  'live.co.uk',
  'outlook.de',
  'outlook.fr',
  'yahoo.de',
  'yahoo.es',
  'yahoo.it',
  'yahoo.co.jp',
  'yahoo.com.cn',
  'mac.com',
  'mi.com',
  'sky.com',
  'tom.com',
  '163.net',
  '126.net',
  '21cn.com',
  'vip.qq.com',
  'vip.163.com',
  'sina.com.cn',
  'att.net',
  'cox.net',
  't-online.de',
  'laposte.net',
  'wanadoo.fr',
]);

/** Top-level domains mistyped for `.com` or `.net` (`.con`, `.cmo`, `.comm`...). */
const TLD_TYPOS: Record<string, string> = {
  con: 'com',
  cmo: 'com',
  ocm: 'com',
  vom: 'com',
  xom: 'com',
  comm: 'com',
  coom: 'com',
  cpm: 'com',
  cim: 'com',
  cm: 'com',
  om: 'com',
  co: 'com',
  nte: 'net',
  ent: 'net',
  nett: 'net',
};

/** Damerau-Levenshtein (optimal string alignment) distance, giving up above `max`. */
const editDistance = (a: string, b: string, max: number): number => {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      }
      row.push(d);
      if (d < best) best = d;
    }
    if (i > 0 && best > max) return max + 1;
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
};

const typoCache = new Map<string, string | undefined>();
const TYPO_CACHE_MAX = 10_000;

/**
 * The big provider domain a domain probably meant (`gmial.com` -> `gmail.com`, `qq.con` -> `qq.com`),
 * or undefined. Allowed distance: 1 for domains of up to 8 characters, 2 for longer ones; a known
 * provider name with a mistyped TLD counts too. Results are cached (domains repeat in a file).
 */
export const suggestEmailDomain = (domain: string): string | undefined => {
  if (BIG.has(domain) || NOT_TYPOS.has(domain)) return undefined;
  if (typoCache.has(domain)) return typoCache.get(domain);
  let suggestion: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const known of BIG_EMAIL_DOMAINS) {
    const max = known.length <= 8 ? 1 : 2;
    const d = editDistance(domain, known, max);
    if (d <= max && d < bestDistance) {
      bestDistance = d;
      suggestion = known;
    }
  }
  if (!suggestion) {
    const dot = domain.lastIndexOf('.');
    const fixedTld = TLD_TYPOS[domain.slice(dot + 1)];
    const fixed = fixedTld ? `${domain.slice(0, dot)}.${fixedTld}` : undefined;
    if (fixed && BIG.has(fixed)) suggestion = fixed;
  }
  if (typoCache.size >= TYPO_CACHE_MAX) typoCache.clear();
  typoCache.set(domain, suggestion);
  return suggestion;
};

const MAILTO = /^mailto:/i;
const NAMED = /^[^<>]*<([^<>]+)>$/;
const SEVERAL = /[;,\s]+/;

/**
 * An email address trimmed and lowercased, or why not. `mailto:` and `Name <address>` wrappers are
 * unwrapped; a cell with several addresses keeps the first (warned). A domain that looks like a typo
 * of a big provider is kept as written and warned about, never corrected.
 */
export const cleanEmail = (input: string, field = 'email'): Cleaned<string> => {
  let text = cleanText(input);
  const warnings: string[] = [];
  if (isFormulaCell(text)) return bad(`${field}: is a spreadsheet formula, not an address`);
  text = text.replace(MAILTO, '');
  const named = NAMED.exec(text);
  if (named) text = named[1]!.trim();
  if (SEVERAL.test(text)) {
    const parts = text.split(SEVERAL).filter((p) => p !== '');
    if (parts.length > 1 && parts.every((p) => p.includes('@'))) {
      warnings.push(`${field}: holds ${parts.length} addresses, kept the first`);
      text = parts[0]!;
    }
  }
  const email = text.toLowerCase();
  if (email.length > 254 || !EMAIL_SYNTAX.test(email)) return bad(`${field}: is not a valid email address`);
  const domain = email.slice(email.lastIndexOf('@') + 1);
  const suggestion = suggestEmailDomain(domain);
  if (suggestion)
    warnings.push(`${field}: domain ${domain} looks like a typo of ${suggestion} (kept as written)`);
  return ok(email, warnings.length > 0 ? warnings : undefined);
};
