import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { functions, httpRoutes, settings } from '../lib/definition';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('opens with the two commands: start locally, run every test', () => {
    const firstBlock = readme.split('```sh')[1]!.split('```')[0]!;
    expect(firstBlock).toContain('npm install && npm start');
    expect(firstBlock).toContain('npm test');
  });

  it('documents every setting with its environment variable and default', () => {
    const configuration = readme.split('## Configuration')[1]!.split('\n## ')[0]!;
    for (const [name, s] of Object.entries(settings)) {
      const row = configuration.split('\n').find((l) => l.startsWith(`| \`${name}\` |`));
      expect(row, `setting ${name}`).toBeDefined();
      expect(row).toContain(`\`${s.env}\``);
      if (s.default) expect(row).toContain(s.default);
    }
  });

  it('documents exactly the declared routes, each with its scope', () => {
    const api = readme.split('## The HTTP API')[1]!.split('\n## ')[0]!;
    // `| \`GET /profiles?email=…\` / \`?phone=…\` | read | …`: the route without its query, and the scope.
    const documented = new Set(
      api.split('\n').flatMap((line) => {
        const match = /^\| `(GET|PUT|PATCH|POST|DELETE) ([^`?]+)[^`]*`[^|]*\| (\w+) \|/.exec(line);
        return match ? [`${match[1]} ${match[2]} ${match[3]}`] : [];
      }),
    );
    const declared = new Set(
      httpRoutes().map((r) => `${r.method} ${r.path} ${r.auth === 'public' ? 'public' : r.scope}`),
    );
    expect([...documented].sort()).toEqual([...declared].sort());
    expect(declared.size).toBe(functions.flatMap((f) => f.triggers.filter((t) => t.kind === 'http')).length);
  });
});

describe('README file formats', () => {
  it('lists every column alias the importer knows', async () => {
    const { profileColumnAliases, transactionColumnAliases } = await import(
      '../functions/ingest/column-aliases'
    );
    for (const table of [profileColumnAliases, transactionColumnAliases]) {
      for (const [field, aliases] of Object.entries(table)) {
        const row = readme
          .split('\n')
          .find((l) => l.startsWith(`| \`${field}\` |`) && l.includes(aliases[0] ?? ''));
        expect(row, field).toBeDefined();
        for (const alias of aliases) expect(row, `${field}: ${alias}`).toContain(alias);
      }
    }
  });
});
