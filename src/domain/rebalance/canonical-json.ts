/**
 * Canonical JSON: object keys sorted (by UTF-16 code units), no whitespace, arrays in order. Two
 * values with the same content serialise to the same string whatever order their keys were
 * built in, which is what makes a hash of it a stable version.
 */
export type CanonicalValue = string | number | boolean | null | readonly CanonicalValue[] | { readonly [key: string]: CanonicalValue };

export function canonicalJson(value: CanonicalValue): string {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    // Floats differ across formatting paths; the plan puts every number on the wire as a decimal string.
    if (!Number.isFinite(value)) throw new Error(`canonical JSON admits only finite numbers, got ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v: CanonicalValue) => canonicalJson(v)).join(',')}]`;
  const record = value as { readonly [key: string]: CanonicalValue };
  // An absent field and one set to undefined are the same content (as in JSON.stringify).
  const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k] as CanonicalValue)}`).join(',')}}`;
}
