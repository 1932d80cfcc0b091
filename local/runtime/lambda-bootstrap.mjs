// The local stand-in for the Lambda Node.js runtime's bootstrap, run as a child process whose
// environment is exactly the function's (template + Lambda's own variables). It is plain
// JavaScript on purpose: like Lambda, it loads nothing but the function's bundle.
//
// Messages from the runner: { type: 'init', bundle } once, then { type: 'invoke', id, event,
// context, traceId }. Replies: { type: 'ready', initMs } or { type: 'initError', error }, and
// { type: 'result', id, ok, value | error, maxRssMb } per invocation.
import { pathToFileURL } from 'node:url';

const errorOf = (error) =>
  error instanceof Error
    ? { name: error.name, message: error.message, stack: error.stack ?? '' }
    : { name: 'Error', message: String(error), stack: '' };

let handler;
let maxRss = process.memoryUsage.rss();
const sampleRss = () => {
  maxRss = Math.max(maxRss, process.memoryUsage.rss());
};
// Lambda reports the peak memory of an invocation: sample it while one runs.
const sampler = setInterval(sampleRss, 50);
sampler.unref();

const contextOf = (fields) => {
  const unsupported = () => {
    throw new Error('Callback-style context methods are not supported by the Node.js 22 runtime');
  };
  return {
    ...fields,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, fields.deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
};

process.on('message', async (message) => {
  if (message.type === 'init') {
    const started = performance.now();
    try {
      const module = await import(pathToFileURL(message.bundle).href);
      if (typeof module.handler !== 'function') throw new Error('index.handler is undefined or not exported');
      handler = module.handler;
      process.send({ type: 'ready', initMs: performance.now() - started });
    } catch (error) {
      process.send({ type: 'initError', error: { ...errorOf(error), name: 'Runtime.ImportModuleError' } });
    }
    return;
  }
  if (message.type === 'invoke') {
    process.env._X_AMZN_TRACE_ID = message.traceId;
    maxRss = process.memoryUsage.rss();
    try {
      const value = await handler(message.event, contextOf(message.context));
      sampleRss();
      // What Lambda returns is the JSON of the value.
      const json = value === undefined ? undefined : JSON.stringify(value);
      process.send({ type: 'result', id: message.id, ok: true, json, maxRssMb: maxRss / 2 ** 20 });
    } catch (error) {
      sampleRss();
      process.send({
        type: 'result',
        id: message.id,
        ok: false,
        error: errorOf(error),
        maxRssMb: maxRss / 2 ** 20,
      });
    }
  }
});
