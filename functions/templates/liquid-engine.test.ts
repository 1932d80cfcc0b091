import { Liquid } from 'liquidjs';
import { describe, expect, it } from 'vitest';
import { renderGlobals } from './date-filters';
import { createLiquidEngine, describeLiquidError, liquidEngines } from './liquid-engine';

const render = (format: 'html' | 'plain', source: string, scope: object = {}) =>
  liquidEngines[format].parseAndRenderSync(source, scope, {
    globals: renderGlobals({ now: 0, timeZone: 'UTC' }),
  });

const problem = (format: 'html' | 'plain', source: string, scope: object = {}) => {
  try {
    render(format, source, scope);
  } catch (error) {
    return describeLiquidError(error);
  }
  throw new Error('expected an error');
};

describe('the html engine', () => {
  it('escapes every output, also echo and liquid tags', () => {
    const x = { x: '<b title="a">&' };
    expect(render('html', '{{ x }}|{% echo x %}|{% liquid\necho x %}', x)).toBe(
      '&lt;b title=&#34;a&#34;&gt;&amp;|'.repeat(3).slice(0, -1),
    );
  });
  it('escapes once when the author escapes too', () => {
    expect(render('html', '{{ x | escape }} {{ x | escape_once }}', { x: '<b>' })).toBe(
      '&lt;b&gt; &lt;b&gt;',
    );
  });
  it('has no way around the escaping: raw does not exist', () => {
    expect(problem('html', '{{ x | raw }}', { x: '<b>' }).reason).toMatch(/^the raw filter is not allowed/);
  });
});

describe('the plain engine (subject, text, SMS)', () => {
  it('escapes nothing', () => {
    expect(render('plain', 'Hi {{ x }}', { x: 'Tom & <Jerry>' })).toBe('Hi Tom & <Jerry>');
  });
  it('refuses raw too, so a template means the same in every part', () => {
    expect(problem('plain', '{{ x | raw }}', { x: 1 }).reason).toMatch(/^the raw filter is not allowed/);
  });
});

describe('both engines', () => {
  it('render a value as data, never as a template', () => {
    expect(render('plain', '{{ x }}', { x: '{{ 7*7 }}{% if true %}y{% endif %}' })).toBe(
      '{{ 7*7 }}{% if true %}y{% endif %}',
    );
  });
  it.each(['{% include "x" %}', '{% render "x" %}', '{% layout "x" %}'])('refuse %s at parse', (source) => {
    expect(() => liquidEngines.html.parse(source)).toThrow(/is not allowed/);
  });
  it('read no file whatever is asked', async () => {
    // A default engine reads files under the working directory (the project root here).
    await expect(new Liquid().renderFile('package.json')).resolves.toContain('"rekindle"');
    await expect(liquidEngines.plain.renderFile('package.json')).rejects.toThrow();
    expect(() => liquidEngines.plain.parseFileSync('package.json')).toThrow();
  });
  it('refuse unknown variables, filters and tags, with where they are', () => {
    expect(problem('plain', 'a\n  {{ nope }}')).toEqual({
      reason: 'unknown variable nope',
      line: 2,
      column: 6,
    });
    expect(problem('plain', '{{ 1 | shout }}')).toEqual({
      reason: 'unknown filter shout',
      line: 1,
      column: 1,
    });
    expect(problem('plain', '{% shout %}')).toEqual({ reason: 'unknown tag shout', line: 1, column: 1 });
  });
  it('hide prototypes', () => {
    expect(problem('plain', '{{ x.constructor }}', { x: {} }).reason).toBe('unknown variable x.constructor');
  });
  it('render the same every time: no sample filter', () => {
    expect(problem('plain', '{{ x | sample }}', { x: [1, 2] }).reason).toMatch(
      /^the sample filter is not allowed/,
    );
  });
  it('stop a render that runs too long', () => {
    const engine = createLiquidEngine('plain', { parseChars: 1000, renderMs: 20, memory: 1e9 });
    const slow = '{% for i in (1..100000) %}{% for j in (1..100000) %}x{% endfor %}{% endfor %}';
    let caught: unknown;
    try {
      engine.parseAndRenderSync(slow);
    } catch (error) {
      caught = error;
    }
    expect(describeLiquidError(caught, { parseChars: 1000, renderMs: 20, memory: 1e9 }).reason).toBe(
      'rendering took longer than 20 ms',
    );
  });
  it('stop a render that builds too much', () => {
    const doubling =
      '{% assign s = "x" %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s }}';
    expect(problem('plain', doubling).reason).toBe(
      'rendering built more than 10000000 characters or elements',
    );
  });
  it('refuse a template too long to parse', () => {
    const engine = createLiquidEngine('plain', { parseChars: 10, renderMs: 100, memory: 1e6 });
    let caught: unknown;
    try {
      engine.parse('x'.repeat(11));
    } catch (error) {
      caught = error;
    }
    expect(describeLiquidError(caught, { parseChars: 10, renderMs: 100, memory: 1e6 }).reason).toBe(
      'longer than 10 characters',
    );
  });
});
