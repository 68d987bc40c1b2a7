/** `--email a@b --name "Full Name"` or `--email=a@b`: flag name → value ('' when none follows). */
export function parseFlags(args: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (let i = 0; i < args.length; i++) {
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(args[i] ?? '')
    if (!m) continue
    out[m[1]!] = m[2] ?? args[++i] ?? ''
  }
  return out
}
