// Runs a task every interval without ever overlapping itself: a tick that finds the previous
// run still going is skipped. The timer is unref'd so it never keeps the process alive.

export interface Periodic {
  /** Stops the timer and waits for a run in progress to finish. */
  stop(): Promise<void>
}

export interface PeriodicOptions {
  /** Run once right away instead of waiting a whole interval first. */
  runAtStart?: boolean
}

export function startPeriodic(
  task: () => Promise<unknown>,
  intervalMs: number,
  onError: (err: unknown) => void,
  { runAtStart = true }: PeriodicOptions = {}
): Periodic {
  let running: Promise<void> | undefined
  let stopped = false

  const tick = () => {
    if (running || stopped) return
    const run = task().then(
      () => undefined,
      (err: unknown) => {
        try {
          onError(err)
        } catch {
          // An error reporter that throws must not stop the schedule.
        }
      }
    )
    running = run.finally(() => {
      running = undefined
    })
  }

  const timer = setInterval(tick, intervalMs)
  timer.unref()
  if (runAtStart) tick()

  return {
    async stop() {
      stopped = true
      clearInterval(timer)
      await running
    },
  }
}
