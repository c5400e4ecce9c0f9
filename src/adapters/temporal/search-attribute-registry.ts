import { isGrpcServiceError, type Connection } from '@temporalio/client';
import type { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Proto enum temporal.api.enums.v1.IndexedValueType, by the SDK's search attribute type. */
const INDEXED_VALUE_TYPES: Record<SearchAttributeType, number> = {
  TEXT: 1, KEYWORD: 2, INT: 3, DOUBLE: 4, BOOL: 5, DATETIME: 6, KEYWORD_LIST: 7,
};

/** The Temporal CLI's spelling of each type (`--search-attribute Name=Keyword`). */
const CLI_TYPE_NAMES: Record<SearchAttributeType, string> = {
  TEXT: 'Text', KEYWORD: 'Keyword', INT: 'Int', DOUBLE: 'Double', BOOL: 'Bool', DATETIME: 'Datetime', KEYWORD_LIST: 'KeywordList',
};

const GRPC_ALREADY_EXISTS = 6;

type AnyKey = ReturnType<typeof defineSearchAttributeKey<SearchAttributeType>>;

/** A custom search attribute already exists with another type. */
export class SearchAttributeTypeConflictError extends Error {
  override readonly name = 'SearchAttributeTypeConflictError';
  constructor(readonly attribute: string, readonly expected: string, readonly actual: string) {
    super(`Search attribute ${attribute} exists as ${actual}, expected ${expected}`);
  }
}

/** `Name=Type` pairs for the dev server's `--search-attribute` flags. */
export function searchAttributeCliFlags(keys: readonly AnyKey[]): Record<string, string> {
  return Object.fromEntries(keys.map((k) => [k.name, CLI_TYPE_NAMES[k.type]]));
}

/** The requested attributes that do not exist yet, as name -> IndexedValueType; throws on type conflicts. */
async function missingSearchAttributes(connection: Pick<Connection, 'operatorService'>, namespace: string, keys: readonly AnyKey[]): Promise<Record<string, number>> {
  const listed = await connection.operatorService.listSearchAttributes({ namespace });
  const existing: Record<string, number> = { ...(listed.systemAttributes ?? {}), ...(listed.customAttributes ?? {}) };
  const missing: Record<string, number> = {};
  for (const key of keys) {
    const current = existing[key.name];
    const wanted = INDEXED_VALUE_TYPES[key.type];
    if (current === undefined) missing[key.name] = wanted;
    else if (current !== wanted) {
      const actual = Object.entries(INDEXED_VALUE_TYPES).find(([, v]) => v === current)?.[0] ?? `IndexedValueType(${current})`;
      throw new SearchAttributeTypeConflictError(key.name, key.type, actual);
    }
  }
  return missing;
}

/**
 * Registers the custom search attributes missing from `namespace` on a running server. Idempotent:
 * existing attributes of the same type (and concurrent registrations) count as success; an existing
 * attribute of another type is a SearchAttributeTypeConflictError. Returns the names it added.
 */
export async function ensureSearchAttributes(connection: Pick<Connection, 'operatorService'>, namespace: string, keys: readonly AnyKey[]): Promise<string[]> {
  const missing = await missingSearchAttributes(connection, namespace, keys);
  const names = Object.keys(missing);
  if (names.length === 0) return [];
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
  } catch (error) {
    if (!(isGrpcServiceError(error) && error.code === GRPC_ALREADY_EXISTS)) throw error;
    // Registered concurrently by someone else: fine if they are all there now, with our types.
    if (Object.keys(await missingSearchAttributes(connection, namespace, keys)).length > 0) throw error;
    return [];
  }
  return names;
}
