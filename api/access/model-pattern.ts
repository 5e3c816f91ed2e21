// Model FQN patterns: `account/model`, where each side may use `*` for any run of characters (on
// the account side it never crosses a "/"), and `*` alone matches everything. Names compare
// case-insensitively, so `GPT-4o` cannot slip past a deny written for `gpt-4o`. Wildcards are
// matched segment by segment with indexOf, never with a backtracking RegExp: a pattern such as
// `*/*a*a*a*b` must not let a long model name burn the CPU.

export interface ModelMatcher {
  /** `fqn` must already be normalized with normalizeModelName. */
  matches(fqn: string): boolean;
}

/** A pattern taken apart: what model-index.ts files it under, and what a matcher tests. */
export type ModelPattern =
  | { kind: 'everything' }
  | { kind: 'exact'; fqn: string }
  | { kind: 'glob'; account: string; model: string; literalAccount: string | null; literalModel: string | null; modelPrefix: string };

interface Glob {
  prefix: string;
  suffix: string;
  middles: string[];
  minLength: number;
  /** No `*` at all: the text must equal prefix. */
  literal: boolean;
}

export function normalizeModelName(fqn: string): string {
  return fqn.toLowerCase();
}

/** The account (before the first "/") and the model (after it) of a normalized FQN. */
export function splitModelName(fqn: string): { account: string; model: string } {
  const slash = fqn.indexOf('/');
  return slash < 0 ? { account: fqn, model: '' } : { account: fqn.slice(0, slash), model: fqn.slice(slash + 1) };
}

export function parseModelPattern(raw: string): ModelPattern {
  const pattern = normalizeModelName(raw);
  if (/^\*+$/.test(pattern)) return { kind: 'everything' };
  if (!pattern.includes('*')) return { kind: 'exact', fqn: pattern };
  const { account, model } = splitModelName(pattern);
  const star = model.indexOf('*');
  return {
    kind: 'glob',
    account,
    model,
    literalAccount: account.includes('*') ? null : account,
    literalModel: star < 0 ? model : null,
    modelPrefix: star < 0 ? model : model.slice(0, star),
  };
}

function compileGlob(pattern: string): Glob {
  const parts = pattern.split('*');
  const prefix = parts[0];
  const suffix = parts.length > 1 ? parts[parts.length - 1] : '';
  const middles = parts.slice(1, -1).filter((part) => part.length > 0);
  return { prefix, suffix, middles, minLength: prefix.length + suffix.length + middles.reduce((n, m) => n + m.length, 0), literal: parts.length === 1 };
}

/** Whether text[start, end) matches; leftmost placement of each segment is optimal for `*`-only globs. */
function matchGlob(glob: Glob, text: string, start: number, end: number): boolean {
  if (glob.literal) return end - start === glob.prefix.length && text.startsWith(glob.prefix, start);
  if (end - start < glob.minLength || !text.startsWith(glob.prefix, start) || !text.endsWith(glob.suffix, end)) return false;
  let from = start + glob.prefix.length;
  const last = end - glob.suffix.length;
  for (const middle of glob.middles) {
    const at = text.indexOf(middle, from);
    if (at < 0 || at + middle.length > last) return false;
    from = at + middle.length;
  }
  return true;
}

interface SplitGlob {
  account: Glob;
  model: Glob;
}

function matchSplitGlob(glob: SplitGlob, fqn: string): boolean {
  const slash = fqn.indexOf('/');
  if (slash < 0) return false;
  return matchGlob(glob.account, fqn, 0, slash) && matchGlob(glob.model, fqn, slash + 1, fqn.length);
}

export function compileModelPatterns(patterns: readonly string[]): ModelMatcher {
  const exact = new Set<string>();
  const globs: SplitGlob[] = [];
  for (const raw of patterns) {
    const pattern = parseModelPattern(raw);
    if (pattern.kind === 'everything') return { matches: () => true };
    if (pattern.kind === 'exact') exact.add(pattern.fqn);
    else globs.push({ account: compileGlob(pattern.account), model: compileGlob(pattern.model) });
  }
  if (globs.length === 0) return { matches: (fqn) => exact.has(fqn) };
  return { matches: (fqn) => exact.has(fqn) || globs.some((glob) => matchSplitGlob(glob, fqn)) };
}
