// The shape of a campaign run's send pipeline: the run function reads the audience a page at a
// time and puts its recipients on the send queue in batches; senders take the batches off the
// queue and send. The pipeline and the campaign planner (plan-campaign.ts) both read these, so the
// plan describes what is deployed.

/** Profiles the run function reads per audience page: one checkpoint per page keeps a handover or crash to re-reading at most a page. */
export const RECIPIENTS_PER_PAGE = 1000;

/** Recipients per SQS message on the send queue: a page is then 10 messages, exactly one SendMessageBatch (10 at most). */
export const RECIPIENTS_PER_BATCH = 100;

/** SQS messages per sender invocation: one message is already 100 sends, and a failed invocation redelivers only it. */
export const SENDER_BATCH_SIZE = 1;

/** Sender event-source max concurrency: bounds the SES and DynamoDB rate a backlog can drive, and leaves the account's Lambda concurrency for the API. */
export const SENDER_MAX_CONCURRENCY = 50;

/** Concurrent SendEmail calls in one sender invocation: the invocation mostly waits on SES, so 16 in flight keep it busy without a burst per invocation. */
export const SENDS_IN_FLIGHT_PER_SENDER = 16;

/** Sender memory: it mostly waits on SES; 512 MB (about 0.3 vCPU) renders 16 messages at a time without falling behind. */
export const SENDER_MEMORY_MB = 512;

/** Run function memory: it parses 1 MB Scan pages and builds batches, CPU-bound work that Lambda speeds up with memory. */
export const RUN_FUNCTION_MEMORY_MB = 1024;
