import {
  DeleteMessageBatchCommand,
  type Message,
  MessageSystemAttributeName,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { FunctionSpec } from '../../lib/definition';
import type { FunctionInvoker } from '../function-invoker';
import { sqsRecord } from './sqs-event';

/** An SQS event source mapping: what the runner polls and which function it feeds. */
export interface SqsPollerSpec {
  /** The definition's queue name (`profileImports`). */
  readonly queue: string;
  /** The physical queue name. */
  readonly queueName: string;
  readonly fn: FunctionSpec;
  readonly batchSize: number;
  readonly maxConcurrency: number;
  /** ReportBatchItemFailures: honour `batchItemFailures` in the function's answer. */
  readonly reportBatchItemFailures: boolean;
}

export interface SqsPollerOptions {
  readonly spec: SqsPollerSpec;
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly region: string;
  readonly invoker: FunctionInvoker;
  /** Long-poll wait (default 20 s, the SQS maximum). */
  readonly waitTimeSeconds?: number;
  readonly log?: boolean;
}

export interface SqsPoller {
  readonly spec: SqsPollerSpec;
  /** Invocations running now. */
  inFlight(): number;
  stop(): Promise<void>;
}

/** The receipt handles to delete after an invocation: all on success, all but the reported failures. */
export const succeededRecords = (
  messages: readonly Message[],
  outcome: { ok: true; result: unknown } | { ok: false },
  reportBatchItemFailures: boolean,
): Message[] => {
  if (!outcome.ok) return [];
  if (!reportBatchItemFailures) return [...messages];
  const result = outcome.result as Partial<SQSBatchResponse> | null | undefined;
  if (result === null || result === undefined || result.batchItemFailures === undefined) return [...messages];
  if (!Array.isArray(result.batchItemFailures)) return [];
  const ids: unknown[] = result.batchItemFailures.map((f) => f?.itemIdentifier);
  // Lambda treats a failure without a valid identifier as a failure of the whole batch.
  if (ids.some((id) => typeof id !== 'string' || id === '' || !messages.some((m) => m.MessageId === id)))
    return [];
  return messages.filter((m) => !ids.includes(m.MessageId));
};

/**
 * Long-polls one queue with `maxConcurrency` pollers, so at most that many invocations run at once;
 * each receives up to `batchSize` (at most 10) messages, invokes the function with the SQS event and
 * deletes what succeeded. Failed messages stay and come back after the visibility timeout; the
 * queue's redrive policy moves them to the dead-letter queue after maxReceiveCount receives.
 */
export const startSqsPoller = (options: SqsPollerOptions): SqsPoller => {
  const { spec, sqs, invoker } = options;
  const abort = new AbortController();
  let running = 0;
  let stopped = false;

  const loop = async (): Promise<void> => {
    while (!stopped) {
      let messages: Message[];
      try {
        const received = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: Math.min(10, spec.batchSize),
            WaitTimeSeconds: options.waitTimeSeconds ?? 20,
            MessageSystemAttributeNames: [MessageSystemAttributeName.All],
            MessageAttributeNames: ['All'],
          }),
          { abortSignal: abort.signal },
        );
        messages = received.Messages ?? [];
      } catch (error) {
        if (stopped) return;
        console.warn(`[sqs] receive from ${spec.queueName} failed: ${(error as Error).message}`);
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      if (messages.length === 0) continue;
      const event: SQSEvent = {
        Records: messages.map((m) => sqsRecord(m, options.queueArn, options.region)),
      };
      running++;
      let outcome: { ok: true; result: unknown } | { ok: false };
      try {
        outcome = { ok: true, result: await invoker.invoke(spec.fn, event) };
      } catch (error) {
        console.error(
          `[sqs] ${spec.fn.name} failed on ${messages.length} message(s) from ${spec.queueName}:`,
          error,
        );
        outcome = { ok: false };
      } finally {
        running--;
      }
      const done = succeededRecords(messages, outcome, spec.reportBatchItemFailures);
      if (options.log) {
        console.log(
          `[sqs] ${spec.queueName} -> ${spec.fn.name}: ${done.length}/${messages.length} succeeded`,
        );
      }
      if (done.length > 0) {
        try {
          await sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: options.queueUrl,
              Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
            }),
          );
        } catch (error) {
          console.warn(`[sqs] delete from ${spec.queueName} failed: ${(error as Error).message}`);
        }
      }
    }
  };

  const loops = Array.from({ length: Math.max(1, spec.maxConcurrency) }, () => loop());

  return {
    spec,
    inFlight: () => running,
    stop: async () => {
      stopped = true;
      abort.abort();
      await Promise.allSettled(loops);
    },
  };
};
