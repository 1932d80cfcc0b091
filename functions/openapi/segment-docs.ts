import { z } from 'zod';
import {
  segmentInputSchema,
  segmentPreviewRequestSchema,
  segmentPreviewSchema,
  segmentSchema,
} from '../segments/segment';
import type { RouteDoc } from './route-doc';

const json = ['application/json'];

/** The segment routes' documentation (functions in lib/segment-functions.ts). */
export const segmentDocs: Record<string, RouteDoc> = {
  'create-segment POST': {
    requestBody: { schema: segmentInputSchema, mediaTypes: json },
    success: { status: 201, description: 'The saved segment, with its Location.', schema: segmentSchema },
    errors: [400, 409, 413, 415, 422],
  },
  'list-segments GET': {
    success: {
      status: 200,
      description: 'Every segment, by name.',
      schema: z.object({ items: z.array(segmentSchema) }).meta({ id: 'SegmentList' }),
    },
    errors: [],
  },
  'get-segment GET': {
    success: { status: 200, description: 'The segment.', schema: segmentSchema },
    errors: [404],
  },
  'update-segment PUT': {
    requestBody: { schema: segmentInputSchema, mediaTypes: json },
    success: { status: 200, description: 'The segment’s new version.', schema: segmentSchema },
    errors: [400, 404, 409, 413, 415, 422],
  },
  'delete-segment DELETE': {
    success: { status: 204, description: 'Deleted.' },
    errors: [404, 409],
  },
  'preview-segment POST': {
    requestBody: { schema: segmentPreviewRequestSchema, mediaTypes: json },
    success: { status: 200, description: 'What the rule selects now.', schema: segmentPreviewSchema },
    errors: [400, 413, 415, 422],
  },
  'preview-saved-segment GET': {
    success: { status: 200, description: 'What the segment selects now.', schema: segmentPreviewSchema },
    errors: [404],
  },
};
