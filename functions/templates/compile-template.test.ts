import { describe, expect, it } from 'vitest';
import { compileTemplate, partUses } from './compile-template';
import { templateInputSchema } from './template';

const email = (html: string) =>
  templateInputSchema.parse({ name: 'E', channel: 'email', kind: 'transactional', subject: 'Hi', html });

describe('compileTemplate', () => {
  it('parses every part, with the variables each reads, each once', () => {
    const result = compileTemplate(
      email('{{ offer.code }} {{ offer.code }}{% assign key = "a" %}{{ profile.attributes[key] }}'),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(Object.keys(result.compiled.parts)).toEqual(['subject', 'html']);
    expect(result.compiled.variables).toEqual({
      subject: [],
      html: ['offer.code', 'profile.attributes[key]'],
    });
  });
  it('collects the errors of every part', () => {
    const template = { ...email('{{ y }}'), subject: '{{ x }}' };
    const result = compileTemplate(template);
    expect(result.ok ? [] : result.errors.map((e) => e.path)).toEqual(['subject', 'html']);
  });
});

describe('partUses', () => {
  it('finds a variable or anything under it', () => {
    const result = compileTemplate(email('{{ offer.code }} {{ profile.tags[0] }}'));
    if (!result.ok) throw new Error('expected to compile');
    expect(partUses(result.compiled, 'html', 'offer')).toBe(true);
    expect(partUses(result.compiled, 'html', 'offer.code')).toBe(true);
    expect(partUses(result.compiled, 'html', 'profile.tags')).toBe(true);
    expect(partUses(result.compiled, 'html', 'off')).toBe(false);
    expect(partUses(result.compiled, 'subject', 'offer')).toBe(false);
  });
});
