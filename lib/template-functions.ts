import type { FunctionSpec } from './definition';

// The template routes of lib/definition.ts: one function per route, each granted only what it
// touches (previews read the profile they render for; a test send sends).

const read = { tables: { campaigns: 'read' } } as const;
const write = { tables: { campaigns: 'write' } } as const;

export const templateFunctions: readonly FunctionSpec[] = [
  {
    name: 'create-template',
    description: 'Saves an email or SMS template (Liquid), checked at save; version 1.',
    triggers: [{ kind: 'http', method: 'POST', path: '/templates', auth: 'apiKey', scope: 'write' }],
    access: write,
  },
  {
    name: 'list-templates',
    description: 'Every template (current versions), by name.',
    triggers: [{ kind: 'http', method: 'GET', path: '/templates', auth: 'apiKey', scope: 'read' }],
    access: read,
  },
  {
    name: 'get-template',
    description: 'One template (its current version) with the campaigns that use it.',
    triggers: [
      { kind: 'http', method: 'GET', path: '/templates/{templateId}', auth: 'apiKey', scope: 'read' },
    ],
    access: read,
  },
  {
    name: 'update-template',
    description: 'Saves a new version of a template; runs keep the version they sent.',
    triggers: [
      { kind: 'http', method: 'PUT', path: '/templates/{templateId}', auth: 'apiKey', scope: 'write' },
    ],
    access: write,
  },
  {
    name: 'delete-template',
    description: 'Deletes a template no campaign uses (409 otherwise).',
    triggers: [
      { kind: 'http', method: 'DELETE', path: '/templates/{templateId}', auth: 'apiKey', scope: 'write' },
    ],
    access: write,
  },
  {
    name: 'preview-template',
    description: 'Renders a template for a real profile, with sample links.',
    triggers: [
      {
        kind: 'http',
        method: 'POST',
        path: '/templates/{templateId}/preview',
        auth: 'apiKey',
        scope: 'read',
      },
    ],
    access: { tables: { campaigns: 'read', profiles: 'read' } },
  },
  {
    name: 'test-send-template',
    description: 'Sends one real message of a template to an address, marked as a test, in no campaign.',
    triggers: [
      {
        kind: 'http',
        method: 'POST',
        path: '/templates/{templateId}/test-send',
        auth: 'apiKey',
        scope: 'write',
      },
    ],
    access: { tables: { campaigns: 'read', profiles: 'read' }, sendEmail: true, sendSms: true },
  },
];
