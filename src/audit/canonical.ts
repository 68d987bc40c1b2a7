// Canonical JSON for hashing: object keys sorted, no whitespace. The same entry must hash the
// same after a round trip through either engine (SQLite keeps `details` as JSON text, MongoDB as
// a document whose key order nobody promises), so key order can never be part of the hash.

/** Serialises plain JSON data (null, booleans, finite numbers, strings, arrays, plain objects). */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null'
  switch (typeof value) {
    case 'boolean':
    case 'string':
      return JSON.stringify(value)
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonical JSON has no NaN or Infinity')
      return JSON.stringify(value)
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
      const proto = Object.getPrototypeOf(value) as unknown
      if (proto !== Object.prototype && proto !== null) {
        throw new TypeError('canonical JSON takes plain objects only')
      }
      const record = value as Record<string, unknown>
      const keys = Object.keys(record)
        .filter((k) => record[k] !== undefined)
        .sort()
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`
    }
    default:
      throw new TypeError(`canonical JSON cannot hold a ${typeof value}`)
  }
}
