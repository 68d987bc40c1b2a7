// Options every collection's schema shares: no __v, empty objects kept, and no automatic index
// or collection creation (indexes are created explicitly at open, see models.ts).
import { Schema } from 'mongoose'

export const opts = {
  versionKey: false,
  minimize: false,
  autoIndex: false,
  autoCreate: false,
} as const
export const { Mixed } = Schema.Types
