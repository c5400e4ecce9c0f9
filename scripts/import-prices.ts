import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createDatabase } from '../src/adapters/db/knex-database';
import { createMarketDataRepository } from '../src/adapters/db/market-data.repository';
import { loadConfig } from '../src/config/config';
import { parsePriceCsv, preparePriceHistory, PriceImportError } from '../src/domain/market/price-history-import';
import { UnknownInstrumentsError } from '../src/ports/market-data.port';
import { databaseUrl } from '../src/system/embedded-defaults';

/**
 * `npm run import-prices -- file.csv [more.csv …]`: loads daily closes (long `symbol,date,close` or
 * wide `date,<SYMBOL>,…` CSV) into DATABASE_URL, or into the embedded PostgreSQL of a running
 * `npm start`. Reports each symbol's rows, gaps, unsorted input and repeated dates.
 */
async function main(files: readonly string[]): Promise<number> {
  if (files.length === 0) {
    process.stderr.write('usage: npm run import-prices -- <file.csv> [more.csv …]\n');
    return 2;
  }
  const config = loadConfig(process.env, path.resolve(__dirname, '..'), { servesHttp: false });
  const db = createDatabase(databaseUrl(config), { min: 0, max: 2 });
  try {
    for (const file of files) {
      const { closes, emptyCells } = parsePriceCsv(await readFile(file, 'utf8'));
      const { histories, report } = preparePriceHistory(closes, (i) => `${file}: close ${i + 1}`, emptyCells);
      const { inserted, replaced } = await createMarketDataRepository(db).upsertPriceHistory(histories, 'import-prices');
      process.stdout.write(`${file}: ${inserted} closes inserted, ${replaced} replaced\n`);
      for (const r of report) {
        const notes = [
          r.unsorted ? 'unsorted (loaded sorted)' : '', r.duplicateDates.length > 0 ? `${r.duplicateDates.length} repeated dates (last kept)` : '',
          r.gapCount > 0 ? `${r.gapCount} gaps, ${r.missingBusinessDays} business days missing` : '', r.emptyCells > 0 ? `${r.emptyCells} empty cells skipped` : '',
        ].filter(Boolean).join('; ');
        process.stdout.write(`  ${r.symbol}: ${r.rows} closes ${r.from} … ${r.to}${notes ? ` — ${notes}` : ''}\n`);
      }
    }
    return 0;
  } catch (err) {
    if (err instanceof PriceImportError || err instanceof UnknownInstrumentsError) {
      process.stderr.write(`nothing loaded: ${err.message}\n`);
      return 1;
    }
    if (err instanceof Error && /ECONNREFUSED/.test(err.message)) {
      process.stderr.write(`cannot reach PostgreSQL at ${databaseUrl(config).replace(/\/\/[^@]*@/, '//')}: start Riskflow (npm start) or set DATABASE_URL\n`);
      return 1;
    }
    throw err;
  } finally {
    await db.destroy();
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
  process.stderr.write(`import-prices failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
