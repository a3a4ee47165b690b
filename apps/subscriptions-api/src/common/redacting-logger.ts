import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { redact } from '@codeplanet/service-kit';

/**
 * The app's logger: Nest's console logger with every message and parameter passed through `redact()`, so a
 * `whsec_…` secret or `cpk_…` key that reaches a log line by mistake is masked. Code must still never log
 * secrets; this is the second line of defence.
 */
export class RedactingLogger extends ConsoleLogger {
  constructor(logLevels: LogLevel[]) {
    super({ logLevels });
  }

  override log(message: unknown, ...rest: unknown[]): void {
    super.log(redact(message), ...rest.map(redact));
  }

  override error(message: unknown, ...rest: unknown[]): void {
    super.error(redact(message), ...rest.map(redact));
  }

  override warn(message: unknown, ...rest: unknown[]): void {
    super.warn(redact(message), ...rest.map(redact));
  }

  override debug(message: unknown, ...rest: unknown[]): void {
    super.debug(redact(message), ...rest.map(redact));
  }

  override verbose(message: unknown, ...rest: unknown[]): void {
    super.verbose(redact(message), ...rest.map(redact));
  }

  override fatal(message: unknown, ...rest: unknown[]): void {
    super.fatal(redact(message), ...rest.map(redact));
  }
}
