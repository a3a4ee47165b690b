import { Inject, Injectable } from '@nestjs/common';
import { generateSecret } from '@codeplanet/signer';
import { AuditTrail } from '../audit/audit-trail.js';
import type { AccountScope } from '../common/account-scope.js';
import type { RequestContext } from '../common/request-context.js';
import { EndpointWriter } from './endpoint-writer.js';
import { secretRotated } from './endpoint-state.js';
import { EndpointSupport, SECRET_CIPHER } from './endpoint-support.js';
import { currentSecret, type SecretCipher } from './secrets/secret-ring.js';

/** Reveal and rotate. Plaintext secrets exist only in these return values: never in facts, rows or logs. */
@Injectable()
export class EndpointSecretsService {
  constructor(
    @Inject(SECRET_CIPHER) private readonly cipher: SecretCipher,
    private readonly support: EndpointSupport,
    private readonly writer: EndpointWriter,
    private readonly audit: AuditTrail,
  ) {}

  async reveal(scope: AccountScope, context: RequestContext, id: string): Promise<string> {
    const { state } = await this.support.load(scope, id);
    const secret = currentSecret(state.secrets, this.cipher);
    await this.audit.record(context, {
      action: 'endpoint.secret_reveal',
      accountId: state.account_id,
      target: { kind: 'endpoint', id },
    });
    return secret;
  }

  /** The new secret signs at once; the previous one keeps signing for 24 h (see secret-ring). */
  async rotate(scope: AccountScope, context: RequestContext, id: string): Promise<string> {
    const current = await this.support.load(scope, id);
    const secret = generateSecret();
    const transition = secretRotated(current.state, this.cipher.encrypt(secret), this.cipher, new Date());
    const state = await this.writer.write(transition, current.streamSeq, context.actor);
    await this.audit.record(context, {
      action: 'endpoint.secret_rotate',
      accountId: state.account_id,
      target: { kind: 'endpoint', id },
      details: { version: state.version, secrets_in_use: state.secrets.length },
    });
    return secret;
  }
}
