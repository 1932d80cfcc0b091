import type { Template as LiquidTemplate, Variables } from 'liquidjs';
import { describeLiquidError, formatOfPart, liquidEngines } from './liquid-engine';
import type { TemplateError, TemplateInput, TemplateKind, TemplatePart } from './template';
import { templateParts } from './template';
import { checkVariable, type VariableSegments, variableName } from './template-variables';

// Parsing is the expensive step of a render and depends on the template alone, so a template is
// compiled once (per version: template-cache.ts) and rendered for every recipient. Compiling also
// checks every variable against the tree of template-variables.ts, at save and before a send alike.

export interface CompiledTemplate {
  readonly channel: TemplateInput['channel'];
  readonly kind: TemplateKind;
  /** Each part the template has, parsed with the engine of its format. */
  readonly parts: Readonly<Partial<Record<TemplatePart, readonly LiquidTemplate[]>>>;
  /** The variables each part reads (`profile.firstName`, `offer.code`, ...), each once. */
  readonly variables: Readonly<Partial<Record<TemplatePart, readonly string[]>>>;
}

export type CompileResult =
  | { readonly ok: true; readonly compiled: CompiledTemplate }
  | { readonly ok: false; readonly errors: readonly TemplateError[] };

/** Parses one part and checks its variables: the parsed part, or what is wrong with it. */
export const compilePart = (
  part: TemplatePart,
  source: string,
): { liquid: LiquidTemplate[]; variables: string[] } | { errors: TemplateError[] } => {
  const engine = liquidEngines[formatOfPart(part)];
  let liquid: LiquidTemplate[];
  try {
    liquid = engine.parse(source);
  } catch (error) {
    return { errors: [{ path: part, ...describeLiquidError(error) }] };
  }
  let globals: Variables;
  try {
    globals = engine.analyzeSync(liquid, { partials: false }).globals;
  } catch (error) {
    return { errors: [{ path: part, ...describeLiquidError(error) }] };
  }
  const errors: TemplateError[] = [];
  const variables = new Set<string>();
  for (const uses of Object.values(globals)) {
    for (const use of uses) {
      const segments: VariableSegments = use.toArray();
      const reason = checkVariable(segments);
      if (reason) errors.push({ path: part, reason, line: use.location.row, column: use.location.col });
      else variables.add(variableName(segments));
    }
  }
  errors.sort((a, b) => a.line! - b.line! || a.column! - b.column!);
  return errors.length > 0 ? { errors } : { liquid, variables: [...variables].sort() };
};

/** Parses every part of a template; all the errors of all its parts when one does not compile. */
export const compileTemplate = (template: TemplateInput): CompileResult => {
  const parts: Partial<Record<TemplatePart, LiquidTemplate[]>> = {};
  const variables: Partial<Record<TemplatePart, string[]>> = {};
  const errors: TemplateError[] = [];
  for (const [part, source] of templateParts(template)) {
    const result = compilePart(part, source);
    if ('errors' in result) errors.push(...result.errors);
    else {
      parts[part] = result.liquid;
      variables[part] = result.variables;
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, compiled: { channel: template.channel, kind: template.kind, parts, variables } };
};

/** Whether a list of variables holds the variable or something under it (`offer` covers `offer.code`). */
export const readsVariable = (variables: readonly string[], variable: string): boolean =>
  variables.some((v) => v === variable || v.startsWith(`${variable}.`) || v.startsWith(`${variable}[`));

/** Whether a compiled part reads the variable (or something under it). */
export const partUses = (compiled: CompiledTemplate, part: TemplatePart, variable: string): boolean =>
  readsVariable(compiled.variables[part] ?? [], variable);
