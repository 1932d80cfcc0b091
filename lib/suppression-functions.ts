import type { FunctionSpec } from './definition';

// The suppression list's routes of lib/definition.ts.

export const suppressionFunctions: readonly FunctionSpec[] = [
  {
    name: 'create-suppression',
    description: 'Suppresses an email address or phone number: no message of any campaign reaches it.',
    triggers: [{ kind: 'http', method: 'POST', path: '/suppressions', auth: 'apiKey', scope: 'write' }],
    access: { tables: { suppressions: 'write' } },
  },
  {
    name: 'list-suppressions',
    description: 'Pages through the suppressed addresses, or looks one up.',
    triggers: [{ kind: 'http', method: 'GET', path: '/suppressions', auth: 'apiKey', scope: 'read' }],
    access: { tables: { suppressions: 'read' } },
  },
  {
    name: 'delete-suppression',
    description: 'Lifts the suppression of an address (admin: it undoes a bounce or a complaint).',
    triggers: [
      { kind: 'http', method: 'DELETE', path: '/suppressions/{address}', auth: 'apiKey', scope: 'admin' },
    ],
    access: { tables: { suppressions: 'write' } },
  },
];
