import type { FunctionSpec } from './definition';

// The campaign routes of lib/definition.ts. Writing a campaign also writes the usedBy of its
// segment and templates (the campaigns table) and its Scheduler schedule.

const read = { tables: { campaigns: 'read' } } as const;
const define = { tables: { campaigns: 'write' }, manageCampaignSchedules: true } as const;

export const campaignFunctions: readonly FunctionSpec[] = [
  {
    name: 'create-campaign',
    description:
      'Defines a campaign: who (a segment), what (templates), when (a schedule), with a control group.',
    triggers: [{ kind: 'http', method: 'POST', path: '/campaigns', auth: 'apiKey', scope: 'write' }],
    access: define,
  },
  {
    name: 'list-campaigns',
    description: 'Every campaign, newest first, with its status and next firing.',
    triggers: [{ kind: 'http', method: 'GET', path: '/campaigns', auth: 'apiKey', scope: 'read' }],
    access: read,
  },
  {
    name: 'get-campaign',
    description: 'One campaign with its status and next firing.',
    triggers: [
      { kind: 'http', method: 'GET', path: '/campaigns/{campaignId}', auth: 'apiKey', scope: 'read' },
    ],
    access: read,
  },
  {
    name: 'update-campaign',
    description: 'Replaces a campaign’s definition (a new version); its schedule follows.',
    triggers: [
      { kind: 'http', method: 'PUT', path: '/campaigns/{campaignId}', auth: 'apiKey', scope: 'write' },
    ],
    access: define,
  },
  {
    name: 'change-campaign-status',
    description: 'Pauses, resumes or cancels a campaign, with its schedule.',
    triggers: [
      {
        kind: 'http',
        method: 'POST',
        path: '/campaigns/{campaignId}/actions',
        auth: 'apiKey',
        scope: 'admin',
      },
    ],
    access: define,
  },
  {
    name: 'seed-campaigns',
    description:
      'On the first deployment, creates the win-back campaign (its segment and templates) from the settings: the weekly run it replaces, as a preset.',
    triggers: [{ kind: 'deployment', id: 'win-back-seed', version: '1' }],
    access: define,
    timeoutSeconds: 60,
  },
];
