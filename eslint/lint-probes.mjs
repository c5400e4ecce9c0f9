// @ts-check
/**
 * Lints probe sources as if they lived at given paths of the project, with the project's real
 * eslint.config.mjs, in one Node process. Used by test/unit/architecture/layering.test.ts, which
 * cannot load the ESM flat config inside jest's VM.
 *
 * stdin:  {"probes": [{"filePath": "src/domain/x.ts", "code": "..."}, ...]}
 * stdout: {"results": [{"filePath", "messages": [{ruleId, messageId, severity, message, line, fatal}]}],
 *          "configs": {"<filePath>": {"real": {...}, "probe": {...}}}}
 *
 * Probes do not exist on disk, and typed linting (projectService) refuses files it cannot find, so
 * probes are linted with typescript-eslint's `disableTypeChecked` layered on top of the real
 * config. For every probe path the script also reports the layering-relevant part of the real
 * config (`calculateConfigForFile`, type-aware, exactly as `eslint .` uses it) and of the probe
 * config, so the test can prove that the two agree on every layering rule.
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

const rootDir = path.resolve(import.meta.dirname, '..');

/** Rules that carry the layering; the test compares them between the real and the probe config. */
const LAYERING_RULES = ['layering/imports', 'layering/pure-domain', 'no-restricted-globals'];

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** Severity as a number (0/1/2) plus options, or null when the rule is not configured. */
function normaliseRule(/** @type {unknown} */ entry) {
  if (entry === undefined) return null;
  const [level, ...options] = Array.isArray(entry) ? entry : [entry];
  const severity = typeof level === 'number' ? level : ({ off: 0, warn: 1, error: 2 })[String(level)] ?? level;
  return { severity, options };
}

/** @param {ESLint} eslint @param {string} filePath */
async function layeringConfig(eslint, filePath) {
  const config = await eslint.calculateConfigForFile(filePath);
  if (!config) return null;
  /** @type {Record<string, unknown>} */
  const rules = {};
  for (const rule of LAYERING_RULES) rules[rule] = normaliseRule(config.rules?.[rule]);
  return { rules, projectService: config.languageOptions?.parserOptions?.projectService ?? null };
}

const input = JSON.parse(await readStdin());
/** @type {{ filePath: string, code: string }[]} */
const probes = input.probes ?? [];

const realEslint = new ESLint({ cwd: rootDir });
const probeEslint = new ESLint({ cwd: rootDir, overrideConfig: [tseslint.configs.disableTypeChecked] });

const results = [];
for (const probe of probes) {
  const [result] = await probeEslint.lintText(probe.code, { filePath: path.resolve(rootDir, probe.filePath) });
  results.push({
    filePath: probe.filePath,
    messages: (result?.messages ?? []).map((m) => ({
      ruleId: m.ruleId, messageId: m.messageId ?? null, severity: m.severity, message: m.message, line: m.line, fatal: m.fatal ?? false,
    })),
  });
}

/** @type {Record<string, unknown>} */
const configs = {};
for (const filePath of new Set(probes.map((p) => p.filePath))) {
  const absolute = path.resolve(rootDir, filePath);
  configs[filePath] = { real: await layeringConfig(realEslint, absolute), probe: await layeringConfig(probeEslint, absolute) };
}

process.stdout.write(JSON.stringify({ results, configs }));
