/** A route as API Gateway HTTP APIs take it: `METHOD /literal/{param}/{greedy+}` (method may be ANY). */
export interface RouteSpec {
  readonly method: string;
  readonly path: string;
}

export interface RouteMatch<R extends RouteSpec> {
  readonly route: R;
  readonly pathParameters: Readonly<Record<string, string>>;
}

type Segment =
  | { kind: 'literal'; value: string }
  | { kind: 'param'; name: string }
  | { kind: 'greedy'; name: string };

const parse = (path: string): Segment[] =>
  path
    .split('/')
    .slice(1)
    .map((part) => {
      const greedy = /^\{(.+)\+\}$/.exec(part);
      if (greedy) return { kind: 'greedy', name: greedy[1]! };
      const param = /^\{(.+)\}$/.exec(part);
      if (param) return { kind: 'param', name: param[1]! };
      return { kind: 'literal', value: part };
    });

const decode = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/** Specificity per segment (literal 0, param 1, greedy 2), compared left to right; lower wins. */
const matchPath = (
  segments: Segment[],
  parts: string[],
): { params: Record<string, string>; rank: number[] } | undefined => {
  const params: Record<string, string> = {};
  const rank: number[] = [];
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment.kind === 'greedy') {
      const rest = parts.slice(i);
      if (rest.length === 0 || rest.join('/') === '') return undefined;
      params[segment.name] = decode(rest.join('/'));
      rank.push(2);
      return { params, rank };
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (segment.value !== part) return undefined;
      rank.push(0);
    } else {
      if (part === '') return undefined;
      params[segment.name] = decode(part);
      rank.push(1);
    }
  }
  return parts.length === segments.length ? { params, rank } : undefined;
};

const compareRanks = (a: number[], b: number[]): number => {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
};

/**
 * Chooses the route API Gateway would: the most specific full match (literal segments before
 * `{param}` before `{greedy+}`, a method match before `ANY`); undefined means `$default`.
 */
export const createRouteMatcher = <R extends RouteSpec>(routes: readonly R[]) => {
  const compiled = routes.map((route) => ({ route, segments: parse(route.path) }));
  return (method: string, rawPath: string): RouteMatch<R> | undefined => {
    const parts = rawPath.split('/').slice(1);
    let best: { route: R; params: Record<string, string>; rank: number[]; any: boolean } | undefined;
    for (const { route, segments } of compiled) {
      if (route.method !== method && route.method !== 'ANY') continue;
      const matched = matchPath(segments, parts);
      if (!matched) continue;
      const candidate = { route, params: matched.params, rank: matched.rank, any: route.method === 'ANY' };
      const order =
        best === undefined
          ? -1
          : compareRanks(candidate.rank, best.rank) || Number(candidate.any) - Number(best.any);
      if (order < 0) best = candidate;
    }
    return best && { route: best.route, pathParameters: best.params };
  };
};
