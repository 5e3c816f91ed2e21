// The rules file: `authz_rules:` in file order, every field written in a fixed order so that
// export -> import -> export is byte-identical. Parsing maps any failure to the line it is on.
import { Document, LineCounter, isMap, isScalar, isSeq, parseDocument, visit, type Alias, type Node } from 'yaml';
import type { z } from 'zod';
import { AccessRulesInvalid } from '../errors';
import { rulesFileSchema, type RuleDefinition, type RuleInput } from './rule-schema';

const INLINE_LIST_MAX = 72;

type RuleEntry = Omit<RuleDefinition, 'id' | 'position' | 'name' | 'limits'> & { name?: string; limits?: RuleDefinition['limits'] };

function toRuleEntry(rule: RuleDefinition): RuleEntry {
  const entry = {
    models: rule.models,
    users: rule.users,
    roles: rule.roles,
    components: rule.components,
    keys: rule.keys,
    effect: rule.effect,
    priority: rule.priority,
    enabled: rule.enabled,
    // Written only when set, so files without limits stay as they were.
    ...(rule.limits ? { limits: rule.limits } : {}),
  };
  return rule.name === null ? entry : { name: rule.name, ...entry };
}

/** `rules` must already be in file order. */
export function formatRulesYaml(rules: readonly RuleDefinition[]): string {
  const doc = new Document({ authz_rules: rules.map(toRuleEntry) });
  const entries = doc.get('authz_rules', true);
  // Short lists inside a rule (its own, and its limits' `per`) inline (`[a, b]`, as TrueFoundry's
  // examples write them), long ones one per line; the top-level list of rules stays a block.
  visit(doc, {
    Seq(_key, node) {
      if (node !== entries) node.flow = JSON.stringify(node.toJSON()).length <= INLINE_LIST_MAX;
    },
  });
  return doc.toString({ flowCollectionPadding: false, lineWidth: 0 });
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((text, seg) => (typeof seg === 'number' ? `${text}[${seg}]` : text ? `${text}.${String(seg)}` : String(seg)), '');
}

/** The offset of the deepest node on `path`: a map key where the path names a key, else the item. */
function offsetOf(doc: Document, path: ReadonlyArray<PropertyKey>): number {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === seg);
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number' && node.items[seg]) {
      node = node.items[seg];
      offset = (node as Node).range?.[0] ?? offset;
    } else break;
  }
  return offset;
}

function describeIssue(issue: z.core.$ZodIssue): { path: PropertyKey[]; message: string } {
  if (issue.code === 'unrecognized_keys') return { path: [...issue.path, issue.keys[0]], message: 'unknown field' };
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) return { path: [...issue.path], message: 'is required' };
  return { path: [...issue.path], message: issue.message };
}

// `models: [*/gpt-4o]` is the likely mistake: YAML reads an unquoted leading `*` as an alias.
function findUnresolvedAlias(doc: Document): Alias | null {
  let found: Alias | null = null;
  visit(doc, {
    Alias(_key, node) {
      if (node.resolve(doc)) return undefined;
      found = node;
      return visit.BREAK;
    },
  });
  return found;
}

export function parseRulesYaml(text: string): RuleInput[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const syntax = doc.errors[0];
  if (syntax) {
    const line = syntax.linePos?.[0].line ?? 1;
    const reason = syntax.message.replace(/ at line \d+, column \d+:[\s\S]*$/, '').split('\n')[0];
    throw new AccessRulesInvalid(`line ${line}: YAML syntax error: ${reason}`, 'body');
  }
  const alias = findUnresolvedAlias(doc);
  if (alias) {
    const line = lineCounter.linePos(alias.range?.[0] ?? 0).line;
    throw new AccessRulesInvalid(`line ${line}: *${alias.source} is read as a YAML alias: quote patterns that start with "*"`, 'body');
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new AccessRulesInvalid(`line 1: YAML cannot be read: ${err instanceof Error ? err.message : 'invalid document'}`, 'body');
  }
  const result = rulesFileSchema.safeParse(value ?? null);
  if (result.success) return result.data.authz_rules;
  const { path, message } = describeIssue(result.error.issues[0]);
  const field = formatPath(path);
  const line = lineCounter.linePos(offsetOf(doc, path)).line;
  if (!field) throw new AccessRulesInvalid(`line ${line}: the file must be a mapping with an authz_rules list`, 'body');
  throw new AccessRulesInvalid(`line ${line}: ${field}: ${message}`, field);
}
