import { type CompileResult, compileTemplate } from './compile-template';
import type { Template } from './template';

// A campaign renders one template version for every recipient: parse it once. Versions are
// immutable (an update is a new version), so the id and the version name the compiled template for
// good; a template that does not compile is cached too, so each recipient fails at once with the
// same reason instead of parsing it again.

export const DEFAULT_TEMPLATE_CACHE_SIZE = 100;

/** Compiled templates by id and version, least recently used dropped first. */
export class TemplateCache {
  readonly #entries = new Map<string, CompileResult>();

  constructor(readonly maxEntries: number = DEFAULT_TEMPLATE_CACHE_SIZE) {
    if (!(maxEntries >= 1)) throw new Error('a template cache holds at least one template');
  }

  /** The compiled template, compiling it the first time this id and version are asked for. */
  compiled(template: Template): CompileResult {
    const key = `${template.templateId}\u0000${template.version}`;
    const hit = this.#entries.get(key);
    if (hit) {
      // Most recently used last.
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit;
    }
    const result = compileTemplate(template);
    this.#entries.set(key, result);
    if (this.#entries.size > this.maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    return result;
  }

  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
  }
}

/** The cache renderTemplate uses unless it is given another. */
export const sharedTemplateCache = new TemplateCache();
