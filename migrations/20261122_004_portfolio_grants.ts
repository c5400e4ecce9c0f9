import type { Knex } from 'knex';

/**
 * Portfolios granted to a principal beyond the scope its API key names: a principal who creates a
 * portfolio gets it in scope, whatever list its key carries.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('portfolio_grants', (t) => {
    t.text('principal').notNullable();
    t.uuid('portfolio_id').notNullable().references('portfolios.id');
    t.text('granted_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['principal', 'portfolio_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('portfolio_grants');
}
