import { sql } from 'kysely';
import { openRepository } from '../access.js';
import { type RegistryRequest, sendJson } from '../http.js';

/** GET /v2/<name>/tags/list?n=&last=: tags in byte order, with a Link header to the next page. */
export async function listTags(r: RegistryRequest, name: string): Promise<void> {
  const repository = await openRepository(r, name, 'pull');
  const nParam = r.url.searchParams.get('n');
  const n = nParam !== null && /^\d+$/.test(nParam) ? Math.min(Number(nParam), 10_000) : null;
  const last = r.url.searchParams.get('last');
  let query = r.ctx.db
    .selectFrom('registry_tag')
    .select('name')
    .where('repository_id', '=', repository.id)
    .orderBy(sql`name COLLATE "C"`);
  if (last) query = query.where(sql<boolean>`name COLLATE "C" > ${last}`);
  if (n !== null) query = query.limit(n + 1);
  const rows = await query.execute();
  const tags = rows.map((row) => row.name);
  const headers: Record<string, string> = {};
  if (n !== null && tags.length > n) {
    tags.length = n;
    const next = new URLSearchParams({ n: String(n), last: tags[n - 1] ?? '' });
    headers.link = `</v2/${name}/tags/list?${next}>; rel="next"`;
  }
  sendJson(r.res, 200, { name, tags }, headers);
}
