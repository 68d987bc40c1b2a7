// The case page's retention panel: when the case is deleted under its term, or its legal hold.
import type { RetentionStatus } from '../domain/retention'
import { deletionDay } from '../domain/retention'
import { dateText, fill } from '../officer/format'
import type { LegalHold } from '../store/types'
import type { Ctx } from './officer-page'

export function retentionData(c: Ctx, s: { status: RetentionStatus; hold: LegalHold | null }) {
  const t = c.var.t.retention
  const lang = c.var.lang
  const st = s.status
  const date = (d: Date) => dateText(d, lang)
  const badge =
    st.kind === 'kept'
      ? t.kept
      : st.kind === 'due'
        ? t.due
        : st.kind === 'scheduled'
          ? fill(st.warn ? t.soon : t.scheduled, { date: date(st.deleteOn) })
          : t.held
  return {
    kind: st.kind,
    warn: st.kind === 'due' || (st.kind === 'scheduled' && st.warn),
    badge,
    deleteOnIso: st.kind === 'kept' || !st.deleteOn ? undefined : deletionDay(st.deleteOn),
    held: s.hold !== null,
    heldText: s.hold
      ? fill(t.heldSince, { date: date(s.hold.setAt), reason: s.hold.reason })
      : undefined,
  }
}
