import { type FS, Liquid, Tag } from 'liquidjs';
import { registerDateFilters } from './date-filters';

// Templates are written by users and rendered with data customers typed in, so the engine is set up
// for untrusted input on both sides:
// - profile values are data, never templates: Liquid never parses a value, so a first name
//   `{{ 7*7 }}` renders as written;
// - in the html part every output is HTML-escaped (`outputEscape: 'escape'`) and `raw`, the only
//   way around it, does not exist: no value can inject markup. The subject, the text part and SMS
//   are not HTML and nothing is escaped there;
// - strict variables and filters: a misspelt name is an error, not an empty string;
// - nothing can be included: `include`, `render` and `layout` are refused at parse, and the engine
//   has a file system that holds no file;
// - bounded: template size at parse, time and memory (string and array growth) per render;
// - deterministic: no clock (see date-filters.ts), no random `sample`, a fixed locale.

export type PartFormat = 'html' | 'plain';

export interface EngineLimits {
  /** Characters one parse may read. The largest part (512 KiB of html) fits. */
  readonly parseChars: number;
  /**
   * Milliseconds one render may take. Wall-clock time, so generous: a typical message renders in
   * well under a millisecond, and a busy machine must not fail good ones.
   */
  readonly renderMs: number;
  /** Liquid's allocation budget of one render: characters of strings built, elements of arrays. */
  readonly memory: number;
}

export const DEFAULT_ENGINE_LIMITS: EngineLimits = {
  parseChars: 1_000_000,
  renderMs: 1000,
  memory: 10_000_000,
};

/** Tags refused at parse, with the reason the author reads. */
export const REFUSED_TAGS: Readonly<Record<string, string>> = {
  include: 'a template cannot include other templates',
  render: 'a template cannot include other templates',
  layout: 'a template cannot use a layout',
};

/** Filters that do not exist here, with the reason the author reads. */
export const REFUSED_FILTERS: Readonly<Record<string, string>> = {
  raw: 'values are always escaped in html, so no profile value can inject markup; in the subject, the text part and SMS nothing is escaped and raw is not needed',
  sample: 'a message must render the same every time',
};

const refusedTag = (name: string, reason: string) =>
  class extends Tag {
    constructor(...args: ConstructorParameters<typeof Tag>) {
      super(...args);
      throw new Error(`{% ${name} %} is not allowed: ${reason}`);
    }
    *render(): Generator<unknown, void, unknown> {}
  };

const noSuchFile = (file: string): never => {
  throw new Error(`templates cannot read files (${file})`);
};

/** A file system with no file in it: whatever asks liquidjs for a file gets nothing. */
const NO_FILES: FS = {
  exists: async () => false,
  existsSync: () => false,
  readFile: async (file) => noSuchFile(file),
  readFileSync: (file) => noSuchFile(file),
  resolve: (_dir, file) => file,
  contains: async () => false,
  containsSync: () => false,
};

/** A liquidjs engine for one kind of part. */
export const createLiquidEngine = (
  format: PartFormat,
  limits: EngineLimits = DEFAULT_ENGINE_LIMITS,
): Liquid => {
  const engine = new Liquid({
    fs: NO_FILES,
    root: [],
    partials: [],
    layouts: [],
    relativeReference: false,
    strictVariables: true,
    strictFilters: true,
    // Prototype properties (`constructor`, `__proto__`) are not variables.
    ownPropertyOnly: true,
    ...(format === 'html' ? { outputEscape: 'escape' as const } : {}),
    parseLimit: limits.parseChars,
    renderLimit: limits.renderMs,
    memoryLimit: limits.memory,
    locale: 'en-US',
    timezoneOffset: 0,
  });
  for (const [name, reason] of Object.entries(REFUSED_TAGS))
    engine.registerTag(name, refusedTag(name, reason));
  for (const name of Object.keys(REFUSED_FILTERS)) engine.unregisterFilter(name);
  registerDateFilters(engine);
  if (format === 'html') {
    // Output is escaped once at the end; an explicit escape would escape it twice (`&amp;lt;`).
    for (const name of ['escape', 'escape_once', 'xml_escape'])
      engine.registerFilter(name, (value: unknown) => value);
  }
  return engine;
};

/** The shared engines: parse once with them, render many times. */
export const liquidEngines: Readonly<Record<PartFormat, Liquid>> = {
  html: createLiquidEngine('html'),
  plain: createLiquidEngine('plain'),
};

/** The engine a part is parsed and rendered with. */
export const formatOfPart = (part: 'subject' | 'html' | 'text'): PartFormat =>
  part === 'html' ? 'html' : 'plain';

export interface LiquidProblem {
  readonly reason: string;
  readonly line?: number;
  readonly column?: number;
}

const POSITION_SUFFIX = /, line:\d+, col:\d+$/;

/** A liquidjs error (or anything thrown while parsing or rendering) as a reason and a position. */
export const describeLiquidError = (
  error: unknown,
  limits: EngineLimits = DEFAULT_ENGINE_LIMITS,
): LiquidProblem => {
  const e = error as {
    message?: unknown;
    originalError?: { message?: unknown };
    token?: { getPosition?: () => [number, number] };
  };
  const position = typeof e?.token?.getPosition === 'function' ? e.token.getPosition() : undefined;
  const original = typeof e?.originalError?.message === 'string' ? e.originalError.message : undefined;
  const message = original ?? (typeof e?.message === 'string' ? e.message : String(error));
  let reason = message.replace(POSITION_SUFFIX, '');
  const filter = /^undefined filter: (\S+)$/.exec(reason);
  const tag = /^tag "([^"]+)" not found$/.exec(reason);
  if (filter) {
    const refused = REFUSED_FILTERS[filter[1]!];
    reason = refused ? `the ${filter[1]} filter is not allowed: ${refused}` : `unknown filter ${filter[1]}`;
  } else if (tag) reason = `unknown tag ${tag[1]}`;
  else if (/^undefined variable: /.test(reason))
    reason = reason.replace(/^undefined variable: /, 'unknown variable ');
  else if (reason === 'template render limit exceeded')
    reason = `rendering took longer than ${limits.renderMs} ms`;
  else if (reason === 'memory alloc limit exceeded')
    reason = `rendering built more than ${limits.memory} characters or elements`;
  else if (reason === 'parse length limit exceeded') reason = `longer than ${limits.parseChars} characters`;
  else if (/maximum call stack/i.test(reason)) reason = 'nested too deeply';
  return position ? { reason, line: position[0], column: position[1] } : { reason };
};
