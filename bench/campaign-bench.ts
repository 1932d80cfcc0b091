import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  RECIPIENTS_PER_BATCH,
  SENDER_MAX_CONCURRENCY,
  SENDS_IN_FLIGHT_PER_SENDER,
} from '../functions/runs/send-pipeline-shape';
import type { LocalStack } from '../local/local-stack';
import {
  BENCH_SES_MAX_SEND_RATE,
  call,
  callRetrying,
  clearSes,
  conditionsLine,
  createCampaign,
  createTemplate,
  deliveryCheck,
  type FiredRun,
  fireRun,
  grantedPerSecond,
  type Population,
  population,
  runView,
  type SentRecord,
  sendRecords,
  sesEmails,
  untilDone,
  viewFailures,
  withCampaignStack,
  writePopulation,
} from './campaign-stack';
import type { LoadResult } from './load';
import { benchPreview } from './preview-bench';
import { sendLoops } from './send-floor';

// `--only campaigns`: campaign runs on the local stack (the run function, up to 50 senders, the
// local SES), each configuration on a stack of its own started with its settings:
//   (a) a capped run: achieved rate against EMAIL_RATE_PER_SECOND, every recipient exactly once;
//   (b) an uncapped run against the floor of any safe send (claim, SendEmail, settle, in process,
//       at the pipeline's concurrency) and against bare SendEmail calls;
//   (c) the first message of a large run, then the run cancelled;
//   (d) POST /segments/preview over a large table, with a rule that needs a scan against a bare
//       parallel Scan of the same attributes, and with an index-served rule against the scan.

export interface CampaignBenchOptions {
  readonly recipients: number;
  readonly rate: number;
  readonly firstMessageRecipients: number;
  readonly previewProfiles: number;
}

const seconds = (fromMs: number, toMs: number) => (toMs - fromMs) / 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Math.min / Math.max without spreading tens of thousands of arguments. */
const least = (xs: Iterable<number>) => {
  let m = Number.POSITIVE_INFINITY;
  for (const x of xs) if (x < m) m = x;
  return m;
};
const most = (xs: Iterable<number>) => -least([...xs].map((x) => -x));

/** The senders a run of `recipients` keeps busy, times the sends each has in flight. */
export const pipelineConcurrency = (recipients: number) =>
  Math.min(SENDER_MAX_CONCURRENCY, Math.ceil(recipients / RECIPIENTS_PER_BATCH)) * SENDS_IN_FLIGHT_PER_SENDER;

/** The recipients that start every sender container once (50 batches), so cold starts stay out of the measurements. */
const warmUpCount = (recipients: number) =>
  Math.min(recipients, SENDER_MAX_CONCURRENCY * RECIPIENTS_PER_BATCH);

const warmUp = async (
  stack: LocalStack,
  ddb: DynamoDBDocumentClient,
  templateId: string,
  people: Population,
  timeoutMs: number,
) => {
  await writePopulation(ddb, stack.endpoints.tables.profiles, people);
  const run = await fireRun(stack.endpoints, await createCampaign(stack.endpoints, people, templateId));
  await untilDone(stack.endpoints, run, timeoutMs);
  await clearSes(stack.endpoints);
};

/** A run from its POST until every recipient is decided, with its send records and the emails SES took. */
const measuredRun = async (
  stack: LocalStack,
  ddb: DynamoDBDocumentClient,
  templateId: string,
  people: Population,
  timeoutMs: number,
) => {
  const { endpoints } = stack;
  await writePopulation(ddb, endpoints.tables.profiles, people);
  const campaignId = await createCampaign(endpoints, people, templateId);
  await clearSes(endpoints);
  const run = await fireRun(endpoints, campaignId);
  const view = await untilDone(endpoints, run, timeoutMs);
  const records = await sendRecords(ddb, endpoints.tables.jobs, run.runId);
  const emails = await sesEmails(endpoints);
  await clearSes(endpoints);
  const sentAt = records
    .filter((r) => r.status === 'sent' && r.sentAt)
    .map((r) => Date.parse(r.sentAt!))
    .sort((a, b) => a - b);
  const statuses: Record<string, number> = {};
  for (const r of records) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  return {
    run,
    view,
    records: records as readonly SentRecord[],
    statuses,
    emails,
    delivery: deliveryCheck(people, emails),
    firstSentMs: sentAt[0] ?? Number.NaN,
    lastSentMs: sentAt.at(-1) ?? Number.NaN,
    sent: sentAt.length,
  };
};

/** Emails per second as SES took them: the full seconds between the first and the last, and the busiest. */
const paceOf = (ats: readonly number[]) => {
  const per = new Map<number, number>();
  for (const at of ats) per.set(at, (per.get(at) ?? 0) + 1);
  const first = least(ats);
  const last = most(ats);
  let inner = 0;
  for (let s = first + 1; s < last; s++) inner += per.get(s) ?? 0;
  return {
    first,
    last,
    seconds: last - first + 1,
    steadySeconds: Math.max(0, last - first - 1),
    steadyPerSecond: last - first > 1 ? inner / (last - first - 1) : Number.NaN,
    peakSecond: most(per.values()),
  };
};

const benchCapped = async (o: CampaignBenchOptions, tag: string) =>
  withCampaignStack({ EMAIL_RATE_PER_SECOND: String(o.rate) }, async (stack, ddb) => {
    const templateId = await createTemplate(stack.endpoints, `${tag} capped`);
    const timeout = (n: number) => (n / o.rate) * 2000 + 180_000;
    const warm = warmUpCount(o.recipients);
    await warmUp(stack, ddb, templateId, population(`cb-${tag}-warm-a`, warm), timeout(warm));
    const people = population(`cb-${tag}-capped`, o.recipients);
    const m = await measuredRun(stack, ddb, templateId, people, timeout(o.recipients));
    const pace = paceOf(m.emails.map((e) => e.at));
    // What the shared rate granted in the same seconds: granted but not sent is what the senders
    // could not use within its second (tokens are good for their second only).
    const granted = await grantedPerSecond(ddb, stack.endpoints.tables.jobs, pace.first + 1, pace.last - 1);
    const grantedSteady = [...granted.values()].reduce((a, b) => a + b, 0) / Math.max(1, pace.steadySeconds);
    const fromPost = m.sent / seconds(m.run.postedAtMs, m.lastSentMs);
    return {
      recipients: o.recipients,
      configuredPerSecond: o.rate,
      warmUpRecipients: warm,
      ...pace,
      ratio: pace.steadyPerSecond / o.rate,
      grantedPerSecond: grantedSteady,
      fromPostPerSecond: fromPost,
      fromPostRatio: fromPost / o.rate,
      firstSentSeconds: seconds(m.run.postedAtMs, m.firstSentMs),
      runAchievedRatePerSecond: m.view.achievedRatePerSecond as number,
      counts: m.view.counts,
      sendRecords: { total: m.records.length, ...m.statuses },
      delivery: m.delivery,
    };
  });

const benchUncapped = async (o: CampaignBenchOptions, tag: string) =>
  withCampaignStack({ EMAIL_RATE_PER_SECOND: undefined }, async (stack, ddb) => {
    const { endpoints } = stack;
    const templateId = await createTemplate(endpoints, `${tag} uncapped`);
    const timeout = (n: number) => n * 100 + 300_000;
    const warm = warmUpCount(o.recipients);
    await warmUp(stack, ddb, templateId, population(`cb-${tag}-warm-b`, warm), timeout(warm));
    const people = population(`cb-${tag}-uncapped`, o.recipients);
    const m = await measuredRun(stack, ddb, templateId, people, timeout(o.recipients));
    const pipeline = (m.sent - 1) / seconds(m.firstSentMs, m.lastSentMs);
    const fromPost = m.sent / seconds(m.run.postedAtMs, m.lastSentMs);

    const concurrency = pipelineConcurrency(o.recipients);
    const { floor, bareSend } = await sendLoops(
      endpoints,
      stack.wiring.names.configurationSet,
      o.recipients,
      concurrency,
      tag,
    );
    // Last on this stack (the cancelled run's remaining batches keep the senders busy): the first
    // message with the run function and the senders warm, as after any recent run.
    const warmFirst = await guarded('(c) warm', () =>
      firstMessage(stack, ddb, o.firstMessageRecipients, tag, 'warm'),
    );
    return {
      firstMessageWarm: warmFirst,
      recipients: o.recipients,
      warmUpRecipients: warm,
      sesMaxSendRate: BENCH_SES_MAX_SEND_RATE,
      pipeline: {
        perSecond: pipeline,
        fromPostPerSecond: fromPost,
        firstSentSeconds: seconds(m.run.postedAtMs, m.firstSentMs),
        counts: m.view.counts,
        sendRecords: { total: m.records.length, ...m.statuses },
        delivery: m.delivery,
      },
      concurrency,
      floor,
      bareSendEmail: bareSend,
      ratioFloor: pipeline / floor.perSecond,
      ratioBare: pipeline / bareSend.perSecond,
      ratioFloorFromPost: fromPost / floor.perSecond,
    };
  });

/** Seconds from the POST of a large run to counts.sent > 0 (polled every 100 ms), then the campaign cancelled. */
const firstMessage = async (
  stack: LocalStack,
  ddb: DynamoDBDocumentClient,
  recipients: number,
  tag: string,
  containers: 'warm' | 'cold',
) => {
  const { endpoints } = stack;
  const people = population(`cb-${tag}-first-${containers}`, recipients);
  await writePopulation(ddb, endpoints.tables.profiles, people);
  const templateId = await createTemplate(endpoints, `${tag} first ${containers}`);
  const campaignId = await createCampaign(endpoints, people, templateId);
  await clearSes(endpoints);
  // The run view's and the action's functions warm (an unknown run, an unknown campaign), so the
  // polls measure the run, not their own cold start, and the cancel comes as soon as it can.
  await call(endpoints, 'GET', `/campaigns/${campaignId}/runs/run_none`);
  await call(endpoints, 'POST', '/campaigns/cmp_none/actions', { action: 'cancel' });
  const run: FiredRun = await fireRun(endpoints, campaignId);
  let polls = 0;
  let firstSentSeconds = Number.NaN;
  for (;;) {
    const view = await runView(endpoints, run);
    polls++;
    if (view.counts.sent > 0) {
      firstSentSeconds = (performance.now() - run.postedAt) / 1000;
      break;
    }
    if (performance.now() - run.postedAt > 120_000) break;
    await sleep(100);
  }
  // SES's store stamps whole seconds: the first email was taken before the end of its second.
  const early = await sesEmails(endpoints, Math.floor(run.postedAtMs / 1000));
  const firstAt = early.length > 0 ? least(early.map((e) => e.at)) : Number.NaN;
  // Repeated for up to a minute or so: with every sender busy, DynamoDB Local answers slowly.
  const cancelled = await callRetrying(
    endpoints,
    'POST',
    `/campaigns/${campaignId}/actions`,
    { action: 'cancel' },
    12,
  );
  // 409: an attempt that missed its time limit had cancelled it already.
  const cancelledAfterSeconds =
    cancelled.status === 200 || cancelled.status === 409
      ? (performance.now() - run.postedAt) / 1000
      : Number.NaN;
  if (!Number.isFinite(cancelledAfterSeconds))
    console.warn(`[bench] cancel failed: ${cancelled.status} ${cancelled.text.slice(0, 300)}`);
  // Until counts.sent stands still for 3 s (a batch a sender had started before the cancel still goes).
  let view = await runView(endpoints, run);
  const sentAtCancel = view.counts.sent as number;
  for (let still = 0, t = 0; still < 3 && t < 60; t++) {
    await sleep(1000);
    const next = await runView(endpoints, run);
    still = next.counts.sent === view.counts.sent ? still + 1 : 0;
    view = next;
  }
  // The first send record settled as sent (counts.sent moves only when a whole batch of 100 is done).
  const settled = (await sendRecords(ddb, endpoints.tables.jobs, run.runId))
    .filter((r) => r.status === 'sent' && r.sentAt)
    .map((r) => Date.parse(r.sentAt!));
  return {
    containers,
    recipients,
    firstSentSeconds,
    firstSentRecordSeconds: settled.length > 0 ? seconds(run.postedAtMs, least(settled)) : Number.NaN,
    polls,
    firstEmailWithinSeconds: Number.isFinite(firstAt)
      ? seconds(run.postedAtMs, (firstAt + 1) * 1000)
      : Number.NaN,
    cancelledAfterSeconds,
    cancelAttemptsFailed: cancelled.failures,
    sentAtCancel,
    sentInTheEnd: view.counts.sent as number,
    skippedCancelled: (view.counts.skippedByReason?.cancelled ?? 0) as number,
    audienceReadSoFar: view.counts.audience as number,
    runStatus: view.status as string,
  };
};

const f = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));

/** A part that failed: printed and kept in the results, so the other parts still count. */
interface Failed {
  readonly failed: string;
}
const guarded = <T extends object>(name: string, work: () => Promise<T>): Promise<T | Failed> =>
  work().catch((error: unknown) => {
    const failed = error instanceof Error ? error.message : String(error);
    console.log(`${name} failed: ${failed.slice(0, 2000)}`);
    return { failed };
  });
const ok = <T extends object>(r: T | Failed): r is T => !('failed' in r);

const printCapped = (capped: Awaited<ReturnType<typeof benchCapped>>) => {
  console.log(
    `(a) capped: ${capped.recipients} recipients at EMAIL_RATE_PER_SECOND=${capped.configuredPerSecond} (after a warm-up run of ${capped.warmUpRecipients}; ${conditionsLine(capped)})`,
  );
  console.log(
    `    steady ${f(capped.steadyPerSecond, 1)}/s (the ${capped.steadySeconds} full seconds between SES's first and last of ${capped.seconds}); ratio achieved / configured: ${f(capped.ratio, 3)}  (target >= 0.95); the shared rate granted ${f(capped.grantedPerSecond, 1)}/s in those seconds`,
  );
  console.log(
    `    from the POST to the last sent: ${f(capped.fromPostPerSecond, 1)}/s (ratio ${f(capped.fromPostRatio, 3)}; first sent after ${f(capped.firstSentSeconds, 2)} s; the run says ${capped.runAchievedRatePerSecond}/s); busiest second at SES: ${capped.peakSecond}`,
  );
  console.log(
    `    every recipient exactly once: ${capped.delivery.addressesOnce} of ${capped.recipients} addresses got one email, ${capped.delivery.missing} none, ${capped.delivery.duplicated} more than one (${capped.delivery.emails} emails); send records ${JSON.stringify(capped.sendRecords)}`,
  );
};

const printUncapped = (uncapped: Awaited<ReturnType<typeof benchUncapped>>) => {
  console.log(
    `(b) uncapped (EMAIL_RATE_PER_SECOND unset, SES MaxSendRate ${uncapped.sesMaxSendRate}): ${uncapped.recipients} recipients (after a warm-up run of ${uncapped.warmUpRecipients}; ${conditionsLine(uncapped)}, with (c) warm)`,
  );
  const line = (name: string, perSecond: number, rest: string) =>
    console.log(`    ${name.padEnd(44)} ${f(perSecond).padStart(7)} msg/s  ${rest}`);
  line(
    'pipeline, first sent to last',
    uncapped.pipeline.perSecond,
    `(from the POST ${f(uncapped.pipeline.fromPostPerSecond)}/s; ${uncapped.pipeline.delivery.addressesOnce} addresses once, ${uncapped.pipeline.delivery.duplicated} more than once, ${uncapped.pipeline.delivery.missing} none)`,
  );
  const loop = (r: LoadResult) => `p50 ${f(r.p50Ms, 1)} ms, p99 ${f(r.p99Ms, 1)} ms, ${r.errors} errors`;
  line(
    `floor: claim + SendEmail + settle (x${uncapped.concurrency})`,
    uncapped.floor.perSecond,
    loop(uncapped.floor),
  );
  line(
    `bare SendEmail (x${uncapped.concurrency})`,
    uncapped.bareSendEmail.perSecond,
    loop(uncapped.bareSendEmail),
  );
  console.log(
    `    ratio pipeline / floor: ${f(uncapped.ratioFloor, 3)}  (target >= 0.8; from the POST ${f(uncapped.ratioFloorFromPost, 3)}); pipeline / bare SendEmail: ${f(uncapped.ratioBare, 3)}`,
  );
};

const printFirst = (run: Awaited<ReturnType<typeof firstMessage>>) => {
  console.log(
    `(c) first message of a ${run.recipients}-recipient run, ${run.containers === 'warm' ? 'run function and senders warm (after (b))' : 'cold (the first run on its stack: up to 50 sender containers start at once)'}:`,
  );
  console.log(
    `    counts.sent > 0 after ${f(run.firstSentSeconds, 2)} s  (target <= 10; ${run.polls} polls); the first send record settled at ${f(run.firstSentRecordSeconds, 2)} s; SES took the first within ${f(run.firstEmailWithinSeconds, 1)} s`,
  );
  console.log(
    `    cancelled at ${f(run.cancelledAfterSeconds, 1)} s (${run.cancelAttemptsFailed} attempts failed first): ${run.sentAtCancel} sent then, ${run.sentInTheEnd} once counts.sent stood still for 3 s, ${run.skippedCancelled} skipped as cancelled, ${run.audienceReadSoFar} read (run ${run.runStatus})`,
  );
};

const printPreview = (previewed: Awaited<ReturnType<typeof benchPreview>>) => {
  console.log(
    `(d) POST /segments/preview over ${previewed.profiles} profiles (${previewed.tableItemsScanned} items in the table)`,
  );
  console.log(
    `    scan rule (${previewed.scanPreview.plan}, count ${previewed.scanPreview.count}): ${f(previewed.scanPreview.seconds, 2)} s (evaluated in ${previewed.scanPreview.evaluatedInMs} ms); bare parallel Scan (4 segments, ${previewed.attributes.join(', ')}): ${f(previewed.scanSeconds, 2)} s; ratio scan / preview: ${f(previewed.ratioScanToPreview, 3)}  (target >= 0.8)`,
  );
  console.log(
    `    index rule (${previewed.indexPreview.plan}, count ${previewed.indexPreview.count} of ${previewed.scoredProfiles} scored): ${f(previewed.indexPreview.seconds, 3)} s (evaluated in ${previewed.indexPreview.evaluatedInMs} ms); scan preview / index preview: ${f(previewed.ratioScanPreviewToIndex, 1)}x  (target >= 10)`,
  );
};

export const benchCampaigns = async (o: CampaignBenchOptions) => {
  const tag = Date.now().toString(36);
  console.log(
    '\nCampaign runs on the local stack (run function, up to 50 senders, local SES; a stack per configuration, its baselines on its emulators)',
  );
  const capped = await guarded('(a) capped', () => benchCapped(o, tag));
  if (ok(capped)) printCapped(capped);
  const uncapped = await guarded('(b) uncapped', () => benchUncapped(o, tag));
  if (ok(uncapped)) printUncapped(uncapped);
  const late = await guarded('(c) cold and (d)', () =>
    withCampaignStack({ EMAIL_RATE_PER_SECOND: undefined }, async (stack, ddb) => {
      // The preview first, while the table holds only its profiles; then the large run (cold containers).
      const previewed = await guarded('(d) preview', () => benchPreview(stack, ddb, o.previewProfiles, tag));
      const first = await guarded('(c) cold', () =>
        firstMessage(stack, ddb, o.firstMessageRecipients, tag, 'cold'),
      );
      return { previewed, first };
    }),
  );
  if (ok(late)) console.log(`(c) and (d): ${conditionsLine(late)} (the preview's stack, then the cold run)`);
  if (ok(uncapped) && ok(uncapped.firstMessageWarm)) printFirst(uncapped.firstMessageWarm);
  if (ok(late) && ok(late.first)) printFirst(late.first);
  if (ok(late) && ok(late.previewed)) printPreview(late.previewed);
  console.log(`    (run views repeated after a 5xx or a network error: ${viewFailures.count})`);
  return { capped, uncapped, coldStackAndPreview: late };
};
