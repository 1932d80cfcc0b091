import { describe, expect, it } from 'vitest';
import type { Template } from './template';
import { TemplateCache } from './template-cache';

const stored = (templateId: string, version: number, text = 'Hi {{ profile.firstName }}'): Template => ({
  templateId,
  version,
  name: 'S',
  channel: 'sms',
  kind: 'marketing',
  text,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
});

describe('TemplateCache', () => {
  it('compiles a version once and hands the same result back', () => {
    const cache = new TemplateCache();
    const first = cache.compiled(stored('t', 1));
    expect(cache.compiled(stored('t', 1))).toBe(first);
    expect(cache.compiled(stored('t', 2))).not.toBe(first);
    expect(cache.size).toBe(2);
  });
  it('caches a template that does not compile, with its errors', () => {
    const cache = new TemplateCache();
    const bad = cache.compiled(stored('t', 1, '{{ nope }}'));
    expect(bad.ok).toBe(false);
    expect(cache.compiled(stored('t', 1, '{{ nope }}'))).toBe(bad);
  });
  it('drops the least recently used version when full', () => {
    const cache = new TemplateCache(2);
    const a = cache.compiled(stored('a', 1));
    cache.compiled(stored('b', 1));
    cache.compiled(stored('a', 1));
    cache.compiled(stored('c', 1));
    expect(cache.size).toBe(2);
    expect(cache.compiled(stored('a', 1))).toBe(a);
    expect(cache.size).toBe(2);
  });
});
