// `keyhold audit verify`: walks the audit hash chain and prints a one-line verdict. The exit code
// is the answer for scripts and cron: 0 intact, 1 broken. Read-only.
import { verifyAuditChain } from '../api/audit/verify';

/** Returns the process exit code. */
export async function runAuditCommand(args: string[], out: (line: string) => void): Promise<number> {
  const [verb, ...rest] = args;
  if (verb !== 'verify' || rest.length) throw new Error('usage: audit verify');
  const verdict = await verifyAuditChain();
  if (verdict.ok) {
    out(`Audit chain intact: ${verdict.events} events, head ${verdict.head}.`);
    return 0;
  }
  out(`Audit chain BROKEN at seq ${verdict.brokenAt} (${verdict.problem}): ${verdict.reason}; ${verdict.events} events verified before it.`);
  return 1;
}
