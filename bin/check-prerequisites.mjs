// Checks what the project needs before anything starts, with a message that says what to do:
// Node 22+ (npm scripts run the Node 22 binary that `npm install` puts in node_modules/.bin from
// the `node` package), Java 17+ for DynamoDB Local, and Chromium for the browser test of the
// unsubscribe page. Plain JavaScript so it runs on any Node.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const problems = [];
const nodeMajor = Number(process.versions.node.split('.')[0]);
if (nodeMajor < 22) {
  problems.push(
    `Node ${process.versions.node} is running this script; Rekindle needs Node 22 or newer. ` +
      'Run it through npm (npm start, npm test): npm puts the Node 22 binary from node_modules/.bin first on the PATH.',
  );
}

const javaMajor = (() => {
  try {
    // `java -version` prints to stderr; run it through sh to read both streams as one.
    const text = execFileSync('sh', ['-c', 'java -version 2>&1'], { encoding: 'utf8' });
    const m = text.match(/version "(\d+)(?:\.(\d+))?/);
    if (!m) return undefined;
    return m[1] === '1' ? Number(m[2]) : Number(m[1]);
  } catch {
    return undefined;
  }
})();
const javaHint = 'Debian/Ubuntu: apt-get install openjdk-17-jre-headless; macOS: brew install openjdk@17';
if (javaMajor === undefined) {
  problems.push(`Java 17 or newer is needed for DynamoDB Local and was not found (${javaHint}).`);
} else if (javaMajor < 17) {
  problems.push(`Java ${javaMajor} found; DynamoDB Local needs Java 17 or newer (${javaHint}).`);
}

// The same path test/integration/unsubscribe-browser.test.ts launches.
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(chromium)) {
  problems.push(
    `Chromium is needed for the browser test of the unsubscribe page and was not found at ${chromium} ` +
      '(Debian/Ubuntu: apt-get install chromium; elsewhere set CHROMIUM_PATH to a Chromium or Chrome binary).',
  );
}

if (problems.length > 0) {
  for (const p of problems) console.error(`prerequisite: ${p}`);
  process.exit(1);
}
