import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface FunctionLogs {
  /** The directory of the log files, one per function (`<function>.log`). */
  readonly dir: string;
  write(functionName: string, line: string, stream: 'stdout' | 'stderr'): void;
}

/**
 * What CloudWatch Logs is to a Lambda function: every line a function's containers write lands in
 * its own log file, whoever started the stack (a terminal, a test's global setup), so what a
 * function logged can be read and searched afterwards. With `echo`, lines also go to the console.
 */
export const functionLogs = (dir: string, options: { readonly echo: boolean }): FunctionLogs => {
  mkdirSync(dir, { recursive: true });
  return {
    dir,
    write: (functionName, line, stream) => {
      // Synchronous on purpose: lines of one function stay in order, and a reader right after an
      // invocation sees everything the invocation wrote.
      appendFileSync(join(dir, `${functionName}.log`), `${line}\n`);
      if (options.echo) (stream === 'stdout' ? process.stdout : process.stderr).write(`${line}\n`);
    },
  };
};
