// A store whose database can be "unplugged": while down, every call fails the way a lost
// connection does. Used to show that a dead database loses nothing and the app recovers.
import type { Store } from '../../src/store/types'

export interface FlakyStore {
  store: Store
  down: boolean
}

export function flaky(inner: Store): FlakyStore {
  const state = { down: false } as FlakyStore
  const fail = () => Promise.reject(new Error('connection lost (test)'))
  const wrap = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(obj, prop, receiver) {
        const value = Reflect.get(obj, prop, receiver) as unknown
        if (typeof value === 'function') {
          return (...args: unknown[]) =>
            state.down && prop !== 'close'
              ? fail()
              : (value as (...a: unknown[]) => unknown).apply(obj, args)
        }
        if (value && typeof value === 'object') return wrap(value)
        return value
      },
    })
  state.store = wrap(inner)
  return state
}
