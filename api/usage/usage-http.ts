// The one reply behind GET /api/admin/usage and GET /api/me/usage: parse the query, then either
// summarize (JSON) or stream the raw records (CSV). The routes decide whose records are in scope.
import type { Request, Response } from 'express';
import type { Sequelize } from 'sequelize';
import { z } from 'zod';
import { parseInput } from '../http/validate';
import { sendDownload } from '../http/download';
import { RequestInvalid } from '../errors';
import { USAGE_GROUPS, USAGE_INTERVALS, countBuckets, summarizeUsage, type UsageInterval } from './query';
import { openUsageExport } from './export';

// Strict: a misspelt parameter is a 400, not a silently different answer.
const usageQuerySchema = z
  .object({
    since: z.coerce.date().optional(),
    until: z.coerce.date().optional(),
    groupBy: z.enum(USAGE_GROUPS).optional(),
    interval: z.enum(USAGE_INTERVALS).default('day'),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict();

/** Enough for 100 days by hour or 6 years by day. */
export const MAX_BUCKETS = 2400;
const DEFAULT_SPAN_MS: Record<UsageInterval, number> = { hour: 24 * 3_600_000, day: 30 * 86_400_000 };

export interface UsageScope {
  /** Only this user's records; null for everyone's. */
  did: string | null;
}

export async function respondWithUsage(sequelize: Sequelize, req: Request, res: Response, scope: UsageScope, now = Date.now()): Promise<void> {
  const query = parseInput(usageQuerySchema, req.query);
  const until = query.until?.getTime() ?? now;
  const since = query.since?.getTime() ?? until - DEFAULT_SPAN_MS[query.interval];
  if (since >= until) throw new RequestInvalid('until: must be later than since', 'until');
  const filter = { since, until, ...(scope.did !== null ? { did: scope.did } : {}) };

  if (query.format === 'csv') {
    const exported = await openUsageExport(filter);
    await sendDownload(res, exported);
    return;
  }

  if (countBuckets(since, until, query.interval) > MAX_BUCKETS) {
    throw new RequestInvalid(`interval: more than ${MAX_BUCKETS} ${query.interval}s between since and until; use interval=day or a shorter range`, 'interval');
  }
  res.set('cache-control', 'no-store').json(await summarizeUsage(sequelize, { ...filter, interval: query.interval, groupBy: query.groupBy, groupLimit: query.limit }));
}
