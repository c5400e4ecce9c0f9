import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { Knex } from 'knex';
import type { AnalyticsPayloads } from '../../ports/analytics-payloads.port';

const zip = promisify(gzip);
const unzip = promisify(gunzip);

export function createAnalyticsPayloads(db: Knex): AnalyticsPayloads {
  return {
    async store(id, json) {
      const body = await zip(Buffer.from(json, 'utf8'));
      await db('analytics_payloads').insert({ id, body, json_bytes: Buffer.byteLength(json, 'utf8') }).onConflict('id').ignore();
    },
    async load(id) {
      const row = await db('analytics_payloads').where({ id }).first<{ body: Buffer } | undefined>('body');
      return row ? (await unzip(row.body)).toString('utf8') : null;
    },
  };
}
