import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { generateSecret, verifyWebhook } from '@codeplanet/signer';
import { deliveryTask } from '../testing/fixtures.js';
import { USER_AGENT, buildWebhookRequest, headersForLog } from './request-builder.js';

const NOW = Date.parse('2026-02-01T12:00:00Z');

function hmacKey(secret: string): Buffer {
  return Buffer.from(secret.slice('whsec_'.length), 'base64');
}

describe('buildWebhookRequest', () => {
  it('carries the contract headers and signs the exact body with every secret', () => {
    const [current, rotated] = [generateSecret(), generateSecret()];
    const task = deliveryTask();
    const request = buildWebhookRequest(task, 3, [current, rotated], NOW);
    expect(request.body).toBe(JSON.stringify(task.event));
    expect(request.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      'x-codeplanet-event-id': 'evt_1',
      'x-codeplanet-event-type': 'payment.completed',
      'x-codeplanet-delivery-id': 'dlv_1',
      'x-codeplanet-attempt': '3',
      'x-codeplanet-timestamp': String(NOW / 1000),
      'webhook-id': 'evt_1',
      'webhook-timestamp': String(NOW / 1000),
    });
    expect(USER_AGENT).toMatch(/^CodePlanet-Webhooks\/\d+\.\d+\.\d+/);
    for (const secret of [current, rotated]) {
      expect(() =>
        verifyWebhook({ secret, headers: request.headers, body: request.body, now: NOW / 1000 }),
      ).not.toThrow();
      const ts = NOW / 1000;
      const hex = createHmac('sha256', hmacKey(secret)).update(`${ts}.${request.body}`).digest('hex');
      expect(request.headers['x-codeplanet-signature']!.split(' ')).toContain(`v1=${hex}`);
      const b64 = createHmac('sha256', hmacKey(secret))
        .update(`evt_1.${ts}.${request.body}`)
        .digest('base64');
      expect(request.headers['webhook-signature']!.split(' ')).toContain(`v1,${b64}`);
    }
  });

  it('logs signatures only as short prefixes', () => {
    const request = buildWebhookRequest(deliveryTask(), 1, [generateSecret(), generateSecret()], NOW);
    const logged = headersForLog(request.headers);
    expect(logged['x-codeplanet-attempt']).toBe('1');
    expect(logged['x-codeplanet-signature']).toMatch(/^v1=[0-9a-f]{8}… v1=[0-9a-f]{8}…$/);
    expect(logged['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{8}… v1,[A-Za-z0-9+/=]{8}…$/);
    expect(JSON.stringify(logged)).not.toContain(request.headers['x-codeplanet-signature']!.slice(3, 20));
  });
});
