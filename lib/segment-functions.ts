import type { FunctionSpec } from './definition';

// The segment routes of lib/definition.ts (kept here so that file stays a readable table): one
// function per route, as everywhere, each granted only the tables it touches.

const segments = { tables: { campaigns: 'read' } } as const;
const segmentsWrite = { tables: { campaigns: 'write' } } as const;
/** A preview reads the segments its rule refers to, the profiles it counts and who is suppressed. */
const preview = { tables: { campaigns: 'read', profiles: 'read', suppressions: 'read' } } as const;

export const segmentFunctions: readonly FunctionSpec[] = [
  {
    name: 'create-segment',
    description: 'Saves a segment: a named rule over profiles, their scores and their activity.',
    triggers: [{ kind: 'http', method: 'POST', path: '/segments', auth: 'apiKey', scope: 'write' }],
    access: segmentsWrite,
  },
  {
    name: 'list-segments',
    description: 'Every saved segment, by name.',
    triggers: [{ kind: 'http', method: 'GET', path: '/segments', auth: 'apiKey', scope: 'read' }],
    access: segments,
  },
  {
    name: 'get-segment',
    description: 'One saved segment with what uses it.',
    triggers: [{ kind: 'http', method: 'GET', path: '/segments/{segmentId}', auth: 'apiKey', scope: 'read' }],
    access: segments,
  },
  {
    name: 'update-segment',
    description: 'Replaces a segment’s name, description and rule (a new version).',
    triggers: [
      { kind: 'http', method: 'PUT', path: '/segments/{segmentId}', auth: 'apiKey', scope: 'write' },
    ],
    access: segmentsWrite,
  },
  {
    name: 'delete-segment',
    description: 'Deletes a segment no campaign or segment uses (409 otherwise).',
    triggers: [
      { kind: 'http', method: 'DELETE', path: '/segments/{segmentId}', auth: 'apiKey', scope: 'write' },
    ],
    access: segmentsWrite,
  },
  {
    name: 'preview-segment',
    description: 'Counts the profiles a rule selects now, and how many each channel can reach.',
    triggers: [{ kind: 'http', method: 'POST', path: '/segments/preview', auth: 'apiKey', scope: 'read' }],
    access: preview,
    timeoutSeconds: 60,
    memoryMb: 1024,
  },
  {
    name: 'preview-saved-segment',
    description: 'Counts the profiles a saved segment selects now, and how many each channel can reach.',
    triggers: [
      { kind: 'http', method: 'GET', path: '/segments/{segmentId}/preview', auth: 'apiKey', scope: 'read' },
    ],
    access: preview,
    timeoutSeconds: 60,
    memoryMb: 1024,
  },
];
