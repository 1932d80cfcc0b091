import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isPossiblePhoneNumber } from 'libphonenumber-js';
import { smsParts } from '../../functions/templates/sms-parts';
import { escapeXml, parseMessageAttributes, parseQueryBody, queryError, queryResponse } from './aws-query';
import { smsPage } from './sms-page';
import { type SentSms, SmsStore } from './sms-store';

export interface SmsEndpointOptions {
  /** Where every SNS request that is not about SMS goes (fauxqs). */
  readonly upstream: string;
  readonly port?: number;
  /** Keep texts and opt-outs in this JSON file. */
  readonly stateFile?: string;
}

export interface SmsEndpoint {
  /** The SNS endpoint for functions (SMS here, topics forwarded) and the inbox page at `/`. */
  readonly url: string;
  readonly store: SmsStore;
  stop(): Promise<void>;
}

const pageSize = 100;
const maxSmsBytes = 1600;
const smsActions = new Set(['CheckIfPhoneNumberIsOptedOut', 'ListPhoneNumbersOptedOut', 'OptInPhoneNumber']);

/** E.164 as SNS takes it: `+`, country code, subscriber number, at most 15 digits. */
export const isE164 = (phoneNumber: string): boolean =>
  /^\+[1-9]\d{1,14}$/.test(phoneNumber) && isPossiblePhoneNumber(phoneNumber);

const readBody = async (req: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

class SnsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const invalidParameter = (message: string): SnsError =>
  new SnsError('InvalidParameter', `Invalid parameter: ${message}`);

const sendXml = (res: ServerResponse, status: number, xml: string, requestId: string): void => {
  res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
  res.end(xml);
};

const sendJson = (res: ServerResponse, status: number, value: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
};

/** The SNS actions served here; returns the result XML (inside `<ActionResult>`). */
const handleSms = (action: string, params: Map<string, string>, store: SmsStore): string => {
  switch (action) {
    case 'Publish': {
      const phoneNumber = params.get('PhoneNumber') ?? '';
      if (params.has('TopicArn') || params.has('TargetArn')) {
        throw invalidParameter('Only one of TopicArn, TargetArn or PhoneNumber may be given');
      }
      if (!isE164(phoneNumber)) throw invalidParameter('PhoneNumber Reason: input incorrectly formatted');
      const message = params.get('Message');
      if (message === undefined || message === '') throw invalidParameter('Empty message');
      if (Buffer.byteLength(message) > maxSmsBytes) throw invalidParameter('Message too long');
      const messageAttributes = parseMessageAttributes(params);
      const smsType = messageAttributes['AWS.SNS.SMS.SMSType']?.StringValue;
      if (smsType !== undefined && smsType !== 'Promotional' && smsType !== 'Transactional') {
        throw invalidParameter(`The value of message attribute [AWS.SNS.SMS.SMSType] is invalid: ${smsType}`);
      }
      const senderId = messageAttributes['AWS.SNS.SMS.SenderID']?.StringValue;
      if (senderId !== undefined && !/^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/.test(senderId)) {
        throw invalidParameter('The value of message attribute [AWS.SNS.SMS.SenderID] is invalid');
      }
      const messageId = randomUUID();
      const sms: SentSms = {
        messageId,
        phoneNumber,
        message,
        messageAttributes,
        ...(smsType === undefined ? {} : { smsType }),
        ...(senderId === undefined ? {} : { senderId }),
        status: store.isOptedOut(phoneNumber) ? 'opted-out' : 'delivered',
        ...smsParts(message),
        at: new Date().toISOString(),
      };
      store.record(sms);
      return `\n    <MessageId>${messageId}</MessageId>\n  `;
    }
    case 'CheckIfPhoneNumberIsOptedOut': {
      const phoneNumber = params.get('phoneNumber') ?? '';
      if (!isE164(phoneNumber)) throw invalidParameter('PhoneNumber Reason: input incorrectly formatted');
      return `\n    <isOptedOut>${store.isOptedOut(phoneNumber)}</isOptedOut>\n  `;
    }
    case 'ListPhoneNumbersOptedOut': {
      const token = params.get('nextToken');
      let start = 0;
      if (token !== undefined && token !== '') {
        const decoded = Number(Buffer.from(token, 'base64url').toString());
        if (!Number.isInteger(decoded) || decoded < 0) throw invalidParameter('NextToken');
        start = decoded;
      }
      const all = store.optedOut();
      const page = all.slice(start, start + pageSize);
      const next =
        start + pageSize < all.length
          ? Buffer.from(String(start + pageSize)).toString('base64url')
          : undefined;
      return (
        `\n    <phoneNumbers>${page.map((n) => `\n      <member>${escapeXml(n)}</member>`).join('')}\n    </phoneNumbers>` +
        (next === undefined ? '' : `\n    <nextToken>${next}</nextToken>`) +
        '\n  '
      );
    }
    case 'OptInPhoneNumber': {
      const phoneNumber = params.get('phoneNumber') ?? '';
      if (!isE164(phoneNumber)) throw invalidParameter('PhoneNumber Reason: input incorrectly formatted');
      store.optIn(phoneNumber);
      return '';
    }
    default:
      throw new SnsError('InvalidAction', `Unknown action ${action}`);
  }
};

const forward = (upstream: string, req: IncomingMessage, body: Buffer, res: ServerResponse): void => {
  const target = new URL(req.url ?? '/', upstream);
  const headers = { ...req.headers, host: target.host };
  const proxied = request(target, { method: req.method, headers }, (upstreamRes) => {
    res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
    upstreamRes.pipe(res);
  });
  proxied.on('error', (error) => {
    const requestId = randomUUID();
    sendXml(
      res,
      500,
      queryError('InternalError', `Upstream SNS emulator failed: ${error.message}`, 'Receiver'),
      requestId,
    );
  });
  proxied.end(body);
};

/**
 * The local SNS endpoint: speaks the awsQuery protocol of @aws-sdk/client-sns (form-encoded POST,
 * XML answers) for SMS (`Publish` with `PhoneNumber`, opt-out actions) and forwards every other
 * request unchanged to fauxqs, so one SNS endpoint serves the functions. Also `GET /` (page of texts
 * sent), `GET /messages`, `POST /clear`, `POST /opt-out` `{"phoneNumber":"+44..."}`.
 */
export const startSmsEndpoint = async (options: SmsEndpointOptions): Promise<SmsEndpoint> => {
  const store = new SmsStore(options.stateFile);
  const server = createServer(async (req, res) => {
    try {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (req.method === 'GET' && path === '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(smsPage(store.messages(), store.optedOut()));
        return;
      }
      if (req.method === 'GET' && path === '/messages') return sendJson(res, 200, store.messages());
      if (req.method === 'POST' && path === '/clear') {
        await readBody(req);
        store.clear();
        return sendJson(res, 200, { cleared: true });
      }
      if (req.method === 'POST' && path === '/opt-out') {
        const input = JSON.parse((await readBody(req)).toString() || '{}') as { phoneNumber?: unknown };
        if (typeof input.phoneNumber !== 'string' || !isE164(input.phoneNumber)) {
          return sendJson(res, 400, { message: 'phoneNumber must be an E.164 number' });
        }
        store.optOut(input.phoneNumber);
        return sendJson(res, 200, { optedOut: true });
      }
      const body = await readBody(req);
      const contentType = req.headers['content-type'] ?? '';
      const params =
        req.method === 'POST' && contentType.startsWith('application/x-www-form-urlencoded')
          ? parseQueryBody(body.toString())
          : new Map<string, string>();
      const action = params.get('Action') ?? '';
      const isSms = smsActions.has(action) || (action === 'Publish' && params.has('PhoneNumber'));
      if (!isSms) return forward(options.upstream, req, body, res);
      const requestId = randomUUID();
      try {
        sendXml(res, 200, queryResponse(action, handleSms(action, params, store), requestId), requestId);
      } catch (error) {
        if (!(error instanceof SnsError)) throw error;
        sendXml(res, error.status, queryError(error.code, error.message, 'Sender', requestId), requestId);
      }
    } catch (error) {
      const requestId = randomUUID();
      sendXml(
        res,
        500,
        queryError('InternalError', (error as Error).message, 'Receiver', requestId),
        requestId,
      );
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
};
