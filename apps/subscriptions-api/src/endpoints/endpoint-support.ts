import { Inject, Injectable } from '@nestjs/common';
import { createSecretBox } from '@codeplanet/signer';
import { ApiError } from '@codeplanet/service-kit';
import type { AccountScope } from '../common/account-scope.js';
import { EndpointNotFound, InvalidField } from '../common/errors.js';
import { AppSettings } from '../config/env.js';
import {
  ENDPOINTS_REPOSITORY,
  type EndpointsRepository,
  type StoredEndpoint,
} from './endpoints.repository.js';
import type { SecretCipher } from './secrets/secret-ring.js';
import { HOST_RESOLVER, checkEndpointUrl, type HostResolver } from './url-policy/url-policy.js';

export const SECRET_CIPHER = Symbol('SECRET_CIPHER');

export function secretCipherFactory(settings: AppSettings): SecretCipher {
  return createSecretBox(settings.secretsKeyring);
}

/** What the endpoint use cases share: scoped loading (404 for other accounts) and the URL rules. */
@Injectable()
export class EndpointSupport {
  constructor(
    @Inject(ENDPOINTS_REPOSITORY) private readonly endpoints: EndpointsRepository,
    @Inject(HOST_RESOLVER) private readonly resolver: HostResolver,
    private readonly settings: AppSettings,
  ) {}

  /** Another account's endpoint is indistinguishable from a missing one. */
  async load(scope: AccountScope, id: string): Promise<StoredEndpoint> {
    const found = await this.endpoints.find(scope, id);
    if (!found) throw new EndpointNotFound();
    return found;
  }

  async checkUrl(url: string): Promise<string> {
    const verdict = await checkEndpointUrl(url, {
      production: this.settings.production,
      resolver: this.resolver,
    });
    if (!verdict.ok) throw new InvalidField('invalid_url', 'url', verdict.message);
    return verdict.url;
  }

  maxEndpoints(): number {
    return this.settings.env.MAX_ENDPOINTS_PER_ACCOUNT;
  }
}

export class EndpointLimitReached extends ApiError {
  constructor(max: number) {
    super(422, 'endpoint_limit_reached', `an account can have at most ${max} endpoints; delete one first`);
  }
}
