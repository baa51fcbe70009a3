// The enterprise index for a database, rebuilt only when the registry's names change (an import,
// /enterprise add, a report naming a new enterprise): a message costs one small aggregate query,
// not a scan of every name.

import type { Db } from '../../db/client.ts';
import { enterpriseNames, enterpriseNamesVersion } from '../../domain/enterprises.ts';
import { EnterpriseIndex } from './enterprise-index.ts';

const cache = new WeakMap<Db, { version: string; index: EnterpriseIndex }>();

export async function enterpriseIndexFor(db: Db): Promise<EnterpriseIndex> {
  const version = await enterpriseNamesVersion(db);
  const hit = cache.get(db);
  if (hit && hit.version === version) return hit.index;
  const index = new EnterpriseIndex(await enterpriseNames(db));
  cache.set(db, { version, index });
  return index;
}
