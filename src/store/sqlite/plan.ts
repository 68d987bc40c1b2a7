import { CASE_WORK_KINDS, isOneOf } from '../../domain/vocab'
import type { PlanItem, PlanStore } from '../types'
import { promised, type Sql } from './db'

interface PlanRow {
  id: string
  year: number
  number: string
  measure: string
  deadline_text: string
  responsible: string
  done_text: string
  covers: string
  position: number
}

function planItemFromRow(r: PlanRow): PlanItem {
  return {
    id: r.id,
    year: r.year,
    number: r.number,
    measure: r.measure,
    deadlineText: r.deadline_text,
    responsible: r.responsible,
    doneText: r.done_text,
    covers: (JSON.parse(r.covers) as unknown[]).filter((k) => isOneOf(CASE_WORK_KINDS, k)),
    position: r.position,
  }
}

export function createPlanStore(sql: Sql): PlanStore {
  const upsert = sql(`INSERT INTO plan_items
      (id, year, number, measure, deadline_text, responsible, done_text, covers, position)
    VALUES (@id, @year, @number, @measure, @deadline_text, @responsible, @done_text, @covers,
      @position)
    ON CONFLICT (id) DO UPDATE SET
      year = excluded.year, number = excluded.number, measure = excluded.measure,
      deadline_text = excluded.deadline_text, responsible = excluded.responsible,
      done_text = excluded.done_text, covers = excluded.covers, position = excluded.position`)
  const byId = sql<PlanRow>('SELECT * FROM plan_items WHERE id = ?')
  const ofYear = sql<PlanRow>('SELECT * FROM plan_items WHERE year = ? ORDER BY position, id')
  const years = sql<{ year: number }>('SELECT DISTINCT year FROM plan_items ORDER BY year')
  const remove = sql('DELETE FROM plan_items WHERE id = ?')

  return promised<PlanStore>({
    put(item) {
      upsert.run({
        id: item.id,
        year: item.year,
        number: item.number,
        measure: item.measure,
        deadline_text: item.deadlineText,
        responsible: item.responsible,
        done_text: item.doneText,
        covers: JSON.stringify(item.covers),
        position: item.position,
      })
    },
    get(id) {
      const row = byId.get(id)
      return row ? planItemFromRow(row) : null
    },
    listYear(year) {
      return ofYear.all(year).map(planItemFromRow)
    },
    years() {
      return years.all().map((r) => r.year)
    },
    delete(id) {
      return remove.run(id).changes > 0
    },
  })
}
