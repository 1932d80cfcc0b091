import { z } from 'zod';
import { templateInputSchema } from '../templates/template';
import {
  renderedMessageSchema,
  storedTemplateSchema,
  templatePreviewRequestSchema,
  templateSavedSchema,
  templateTestSendRequestSchema,
} from '../templates/template-requests';
import type { RouteDoc } from './route-doc';

const json = ['application/json'];

/** The template routes' documentation (functions in lib/template-functions.ts). */
export const templateDocs: Record<string, RouteDoc> = {
  'create-template POST': {
    requestBody: { schema: templateInputSchema, mediaTypes: json },
    success: {
      status: 201,
      description: 'The saved template (version 1) and what the save found: variables, SMS parts.',
      schema: templateSavedSchema,
    },
    errors: [400, 409, 413, 415, 422],
  },
  'list-templates GET': {
    success: {
      status: 200,
      description: 'Every template, current versions, by name.',
      schema: z.object({ items: z.array(storedTemplateSchema) }).meta({ id: 'TemplateList' }),
    },
    errors: [],
  },
  'get-template GET': {
    success: { status: 200, description: 'The template’s current version.', schema: storedTemplateSchema },
    errors: [404],
  },
  'update-template PUT': {
    requestBody: { schema: templateInputSchema, mediaTypes: json },
    success: { status: 200, description: 'The new version and its report.', schema: templateSavedSchema },
    errors: [400, 404, 409, 413, 415, 422],
  },
  'delete-template DELETE': {
    success: { status: 204, description: 'Deleted.' },
    errors: [404, 409],
  },
  'preview-template POST': {
    requestBody: { schema: templatePreviewRequestSchema, mediaTypes: json },
    success: {
      status: 200,
      description: 'The message as the profile would get it, with sample links and offer.',
      schema: renderedMessageSchema,
    },
    errors: [400, 404, 413, 415, 422],
  },
  'test-send-template POST': {
    requestBody: { schema: templateTestSendRequestSchema, mediaTypes: json },
    success: {
      status: 202,
      description: 'Sent, marked as a test: the message id and channel.',
      schema: z.object({ messageId: z.string(), channel: z.enum(['email', 'sms']) }).meta({ id: 'TestSend' }),
    },
    errors: [400, 404, 413, 415, 422],
  },
};
