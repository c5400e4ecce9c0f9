import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RISK_REASON_TABLE } from '../../../src/domain/risk/risk-reason-codes';

/** The rows of the README table whose header starts with `| Code | Meaning |`. */
function readmeReasonTable(): Array<[string, string, string]> {
  const lines = readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.startsWith('| Code | Meaning |'));
  if (start < 0) throw new Error('README has no "| Code | Meaning |" table');
  const rows: Array<[string, string, string]> = [];
  for (const line of lines.slice(start + 2)) {
    const match = /^\| `([A-Z_]+)` \| (.*) \| (.*) \|$/.exec(line);
    if (!match) break;
    rows.push([match[1]!, match[2]!, match[3]!]);
  }
  return rows;
}

describe('README reason codes', () => {
  it('when the README lists the reason codes, then it lists exactly the engine\'s codes, in its order, with its meanings and limits', () => {
    expect(readmeReasonTable()).toEqual(RISK_REASON_TABLE.map((r) => [r.code, r.meaning, r.limit]));
  });
});
