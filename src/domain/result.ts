// Domain functions report business errors as values; exceptions are reserved for bugs.

export interface DomainError<C extends string = string> {
  code: C
  message: string
}

export type Result<T, C extends string = string> =
  { ok: true; value: T } | { ok: false; error: DomainError<C> }

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value }
}

export function fail<C extends string>(
  code: C,
  message: string
): { ok: false; error: DomainError<C> } {
  return { ok: false, error: { code, message } }
}
