import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const bootstrapPath = fileURLToPath(new URL('./lambda-bootstrap.mjs', import.meta.url));

/** An error a function (or its runtime) reported, with the name Lambda gives it. */
export class FunctionError extends Error {
  constructor(name: string, message: string, stack?: string) {
    super(message);
    this.name = name;
    if (stack) this.stack = stack;
  }
}

/** A function that did not finish within its timeout, as Lambda reports it. */
export class FunctionTimeoutError extends Error {
  constructor(seconds: number) {
    super(`Task timed out after ${seconds.toFixed(2)} seconds`);
    this.name = 'Sandbox.Timedout';
  }
}

export interface ContainerOptions {
  readonly bundle: string;
  /** The complete environment of the process: nothing of the runner's leaks in. */
  readonly env: Readonly<Record<string, string>>;
  /** Heap limit when the environment's NODE_OPTIONS sets none (the function's memory size). */
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** Each line the function writes to stdout or stderr. */
  readonly onLog: (line: string, stream: 'stdout' | 'stderr') => void;
}

/** The serializable part of a Lambda context; the bootstrap adds the methods. */
export type ContextFields = Readonly<Record<string, unknown>> & { readonly deadline: number };

export interface InvocationOutcome {
  /** The JSON Lambda would return (undefined for a handler returning nothing). */
  readonly json: string | undefined;
  readonly durationMs: number;
  readonly maxRssMb: number;
}

type Reply =
  | { type: 'ready'; initMs: number }
  | { type: 'initError'; error: { name: string; message: string; stack: string } }
  | {
      type: 'result';
      id: string;
      ok: boolean;
      json?: string;
      error?: { name: string; message: string; stack: string };
      maxRssMb: number;
    };

const traceId = (): string => {
  const hex = randomUUID().replaceAll('-', '');
  const epoch = Math.floor(Date.now() / 1000).toString(16);
  // Sampled=0: the SDK and Powertools Tracer see a trace header, as in Lambda, and send no segment.
  return `Root=1-${epoch}-${hex.slice(0, 24)};Parent=${hex.slice(8, 24)};Sampled=0`;
};

const forward = (stream: NodeJS.ReadableStream | null, emit: (line: string) => void): void => {
  if (!stream) return;
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      emit(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf('\n');
    }
  });
  stream.on('end', () => {
    if (buffered) emit(buffered);
  });
};

/**
 * One execution environment of a function: a Node process started from the function's bundle with
 * only its environment, kept warm between invocations (module state survives, as in a warm Lambda
 * container), one invocation at a time. Past its timeout the process is killed, as Lambda kills
 * the sandbox, and the container is gone.
 */
export class FunctionContainer {
  readonly initMs: Promise<number>;
  private readonly child: ChildProcess;
  private exited = false;
  private current:
    | { id: string; resolve: (r: Reply & { type: 'result' }) => void; reject: (e: Error) => void }
    | undefined;
  busy = false;

  constructor(private readonly options: ContainerOptions) {
    const nodeOptions = options.env['NODE_OPTIONS'] ?? '';
    this.child = fork(bootstrapPath, [], {
      env: { ...options.env },
      // Not the runner's own flags (tsx, vitest): the bundle is plain JavaScript.
      execArgv: nodeOptions.includes('--max-old-space-size')
        ? []
        : [`--max-old-space-size=${options.memoryMb}`],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    forward(this.child.stdout, (line) => options.onLog(line, 'stdout'));
    forward(this.child.stderr, (line) => options.onLog(line, 'stderr'));
    const exit = new Promise<never>((_, reject) => {
      this.child.once('exit', (code, signal) => {
        this.exited = true;
        const error = new FunctionError(
          'Runtime.ExitError',
          `RequestId: ${this.current?.id ?? '-'} Error: Runtime exited with error: ${signal ? `signal: ${signal}` : `exit status ${code}`}`,
        );
        this.current?.reject(error);
        this.current = undefined;
        reject(error);
      });
    });
    exit.catch(() => undefined);
    // A send to a child whose channel just closed (it died, or was killed past its timeout) is an
    // 'error' event: unheard, it would crash the runner itself. The exit handler reports the death.
    this.child.on('error', (error) => options.onLog(`[container] ${error.message}`, 'stderr'));
    this.initMs = new Promise<number>((resolve, reject) => {
      this.child.on('message', (reply: Reply) => {
        if (reply.type === 'ready') resolve(reply.initMs);
        else if (reply.type === 'initError')
          reject(new FunctionError(reply.error.name, reply.error.message, reply.error.stack));
        else if (reply.type === 'result' && this.current?.id === reply.id) {
          const current = this.current;
          this.current = undefined;
          current.resolve(reply);
        }
      });
      exit.catch(reject);
    });
    this.initMs.catch(() => this.kill());
    this.child.send({ type: 'init', bundle: options.bundle }, (error) => {
      if (error) this.kill();
    });
  }

  get alive(): boolean {
    return !this.exited;
  }

  async invoke(event: unknown, context: ContextFields, requestId: string): Promise<InvocationOutcome> {
    await this.initMs;
    if (this.exited) throw new FunctionError('Runtime.ExitError', 'the container has exited');
    const started = performance.now();
    const { timeoutSeconds } = this.options;
    let timer: NodeJS.Timeout | undefined;
    try {
      const reply = await new Promise<Reply & { type: 'result' }>((resolve, reject) => {
        this.current = { id: requestId, resolve, reject };
        timer = setTimeout(() => {
          this.current = undefined;
          this.kill();
          reject(new FunctionTimeoutError(timeoutSeconds));
        }, timeoutSeconds * 1000);
        this.child.send({ type: 'invoke', id: requestId, event, context, traceId: traceId() }, (error) => {
          if (!error || this.current?.id !== requestId) return;
          this.current = undefined;
          reject(new FunctionError('Runtime.ExitError', `RequestId: ${requestId} Error: ${error.message}`));
        });
      });
      const durationMs = performance.now() - started;
      if (!reply.ok) {
        const error = reply.error ?? { name: 'Error', message: 'unknown error', stack: '' };
        throw Object.assign(new FunctionError(error.name, error.message, error.stack), {
          durationMs,
          maxRssMb: reply.maxRssMb,
        });
      }
      return { json: reply.json, durationMs, maxRssMb: reply.maxRssMb };
    } finally {
      clearTimeout(timer);
    }
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}
