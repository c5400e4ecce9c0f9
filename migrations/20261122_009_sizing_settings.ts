import type { Knex } from 'knex';

const DECIMAL = [38, 12] as const;
const FRACTIONS = ['max_portfolio_risk', 'max_position_risk', 'base_size', 'kelly_fraction', 'min_confidence'] as const;

/**
 * How each portfolio sizes positions (src/domain/sizing/sizing-settings.ts). A portfolio without a
 * row sizes with the defaults; every replacement bumps `version` and is audited.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('sizing_settings', (t) => {
    t.uuid('portfolio_id').primary().references('portfolios.id');
    for (const column of FRACTIONS) t.decimal(column, ...DECIMAL).notNullable();
    t.decimal('confidence_multiplier', ...DECIMAL).notNullable();
    t.integer('version').notNullable();
    t.text('updated_by').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  // The gateway validates first; the table refuses what slips past it.
  for (const column of FRACTIONS) {
    await knex.raw(`alter table sizing_settings add constraint ?? check (?? > 0 and ?? <= 1)`, [`sizing_settings_${column}_check`, column, column]);
  }
  await knex.raw('alter table sizing_settings add constraint sizing_settings_confidence_multiplier_check check (confidence_multiplier > 0)');
  await knex.raw('alter table sizing_settings add constraint sizing_settings_version_check check (version > 0)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('sizing_settings');
}
