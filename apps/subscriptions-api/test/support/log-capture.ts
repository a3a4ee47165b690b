/**
 * Captures what the process writes to stdout/stderr (Nest's logger writes there directly), so a test can search
 * the logs for secrets. Not forwarded (set SHOW_APP_LOGS=1 to see them), to keep the test output readable.
 */
export class LogCapture {
  private readonly chunks: string[] = [];
  private static active: LogCapture[] = [];
  private static originals:
    { out: typeof process.stdout.write; err: typeof process.stderr.write } | undefined;

  static start(): LogCapture {
    const capture = new LogCapture();
    if (!LogCapture.originals) {
      const originals = {
        out: process.stdout.write.bind(process.stdout),
        err: process.stderr.write.bind(process.stderr),
      };
      LogCapture.originals = originals;
      const tee = (chunk: unknown): boolean => {
        const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
        for (const active of LogCapture.active) active.chunks.push(text);
        if (process.env.SHOW_APP_LOGS) originals.err(text);
        return true;
      };
      process.stdout.write = tee;
      process.stderr.write = tee;
    }
    LogCapture.active.push(capture);
    return capture;
  }

  text(): string {
    return this.chunks.join('');
  }

  stop(): void {
    LogCapture.active = LogCapture.active.filter((capture) => capture !== this);
    if (LogCapture.active.length === 0 && LogCapture.originals) {
      process.stdout.write = LogCapture.originals.out;
      process.stderr.write = LogCapture.originals.err;
      LogCapture.originals = undefined;
    }
  }
}
