/** `--flag`, `--name value` and `--name=value` options, and the other arguments in order. */
export const parseArgs = (
  argv: readonly string[],
  valued: readonly string[] = [],
): { flags: Set<string>; values: Map<string, string>; rest: string[] } => {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      rest.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (eq >= 0) values.set(name, arg.slice(eq + 1));
    else if (valued.includes(name)) {
      const value = argv[++i];
      if (value === undefined) throw new Error(`--${name} needs a value`);
      values.set(name, value);
    } else flags.add(name);
  }
  return { flags, values, rest };
};
