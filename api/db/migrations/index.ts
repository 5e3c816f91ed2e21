// The ordered list of migrations. Listed explicitly (not globbed) so the built dist/ and tsx runs agree.
import type { Migration } from './helpers';
import { migration0001 } from './0001-initial';
import { migration0002 } from './0002-keys-and-rules';
import { migration0003 } from './0003-account-routing';
import { migration0004 } from './0004-usage-records';
import { migration0005 } from './0005-limits-on-rules-and-accounts';
import { migration0006 } from './0006-usage-records-without-request-index';

export const migrations: Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005, migration0006];
