// What GET /api/me/usage answers: the server's own types (type-only, erased from the bundle), so the
// page and the API cannot drift apart. Members group by model, key or account (not by user).
import type { UsageGroupBy as ServerGroupBy } from '../../../../api/usage/query';

export type { UsageFigures, UsageGroup, UsageInterval, UsageSummary } from '../../../../api/usage/query';
export type UsageGroupBy = Exclude<ServerGroupBy, 'user'>;
