import type { Knex } from 'knex';

/** A statement as knex builds it (`toSQL()`). */
export type SqlStatement = { readonly sql: string; readonly bindings: readonly unknown[] };

/** Joins knex-built statements into one round trip: each but the last as a data-modifying CTE (no two may touch the same row). */
export function oneStatement(trx: Knex | Knex.Transaction, parts: readonly SqlStatement[]) {
  const last = parts[parts.length - 1]!;
  const ctes = parts.slice(0, -1).map((p, i) => `step${i} as (${p.sql})`);
  return trx.raw(`${ctes.length > 0 ? `with ${ctes.join(', ')} ` : ''}${last.sql}`, parts.flatMap((p) => [...p.bindings]) as Knex.RawBinding[]);
}
