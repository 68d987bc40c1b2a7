// One job in a fresh module worker, ended when it answers, fails or runs out of time, so its
// memory (and any key material) goes with it. Anything unexpected rejects: callers fail closed.

/** What a reply means: more to come (progress, undefined), the result, or the worker's failure. */
export type JobStep<T> = { result: T } | { failed: string } | undefined

export interface WorkerJob<Reply, T> {
  url: string
  /** The worker's name, as devtools shows it. */
  name: string
  /** The start of every error this job rejects with: 'kdf timeout', 'work: …'. */
  label: string
  timeoutMs: number
  message: unknown
  /** Buffers moved, not copied, into the worker. */
  transfer?: Transferable[]
  onReply(reply: Reply): JobStep<T>
}

export function runWorkerJob<Reply, T>(job: WorkerJob<Reply, T>): Promise<T> {
  const { label } = job
  return new Promise<T>((resolve, reject) => {
    let worker: Worker
    try {
      worker = new Worker(job.url, { type: 'module', name: job.name })
    } catch (e) {
      reject(e instanceof Error ? e : new Error('worker'))
      return
    }
    const done = (fn: () => void) => {
      clearTimeout(timer)
      worker.terminate()
      fn()
    }
    const fail = (why: string) => done(() => reject(new Error(why)))
    const timer = setTimeout(() => fail(`${label} timeout`), job.timeoutMs)
    worker.onerror = (e) => {
      e.preventDefault()
      fail(`${label} worker failed to start`)
    }
    worker.onmessageerror = () => fail(`${label} message error`)
    worker.onmessage = (e: MessageEvent<Reply>) => {
      const step = job.onReply(e.data)
      if (step === undefined) return
      if ('result' in step) done(() => resolve(step.result))
      else fail(`${label}: ${step.failed}`)
    }
    worker.postMessage(job.message, job.transfer ?? [])
  })
}
