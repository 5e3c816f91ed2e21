// Rules-file errors with their line: from the server's 400 ("line 4: authz_rules[0].effect: ...",
// see api/access/rules-yaml.ts), or from a local syntax check while typing so a broken indent shows
// before saving. The server's check is the one that counts.
import { parseDocument } from 'yaml';
import { ApiError } from '../../../api';
import type { YamlError } from './yaml-error-marks';

const LINE_PREFIX = /^line (\d+): ([\s\S]*)$/;

export function yamlErrorFrom(err: unknown): YamlError {
  const message = err instanceof Error ? err.message : String(err);
  const match = err instanceof ApiError ? LINE_PREFIX.exec(message) : null;
  return match ? { line: Number(match[1]), message: match[2] } : { line: null, message };
}

/** YAML syntax errors only (the field checks stay on the server, which knows the schema). */
export function findSyntaxErrors(text: string): YamlError[] {
  // prettyErrors is what fills in linePos; the message's code excerpt after the first line is dropped.
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  return doc.errors.slice(0, 5).map((error) => ({
    line: error.linePos?.[0].line ?? null,
    message: `YAML syntax error: ${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
  }));
}
