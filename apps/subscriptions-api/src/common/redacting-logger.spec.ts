import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { RedactingLogger } from './redacting-logger.js';

describe('RedactingLogger', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('masks secrets and API keys in messages, contexts and stacks', () => {
    const written: string[] = [];
    const capture = (chunk: unknown): boolean => {
      written.push(String(chunk));
      return true;
    };
    jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    jest.spyOn(process.stderr, 'write').mockImplementation(capture);
    const logger = new RedactingLogger(['log', 'error', 'warn']);
    const secret = 'whsec_' + Buffer.alloc(32, 9).toString('base64');
    const key = 'cpk_' + Buffer.alloc(32, 3).toString('base64url');
    logger.log(`created with ${secret}`, 'Ctx');
    logger.warn({ note: 'object', secret, nested: { value: key } });
    logger.error(`failed for ${key}`, `Error: ${secret}\n    at somewhere`, 'Ctx');
    logger.debug(`hidden level ${secret}`);
    const output = written.join('');
    expect(output).toContain('created with [redacted]');
    expect(output).toContain('failed for [redacted]');
    expect(output).not.toContain(secret);
    expect(output).not.toContain(key);
    expect(output).not.toContain('hidden level');
  });
});
