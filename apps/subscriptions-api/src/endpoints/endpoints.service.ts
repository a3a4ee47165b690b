import { Inject, Injectable } from '@nestjs/common';
import { newId, type EndpointState } from '@codeplanet/event-schemas';
import { generateSecret } from '@codeplanet/signer';
import { AuditTrail, type AuditAction } from '../audit/audit-trail.js';
import type { AccountScope } from '../common/account-scope.js';
import { toPage, type Page, type PageRequest } from '../common/pagination.js';
import type { RequestContext } from '../common/request-context.js';
import type { CreateEndpointDto, EndpointDto, UpdateEndpointDto } from './dto/endpoint.dto.js';
import { EndpointWriter } from './endpoint-writer.js';
import { changedFields, created, deleted, patched, type Transition } from './endpoint-state.js';
import { presentEndpoint } from './endpoint.presenter.js';
import { EndpointLimitReached, EndpointSupport, SECRET_CIPHER } from './endpoint-support.js';
import { ENDPOINTS_REPOSITORY, type EndpointsRepository } from './endpoints.repository.js';
import type { SecretCipher } from './secrets/secret-ring.js';

const ACTIONS: Record<Transition['type'], AuditAction> = {
  'endpoint.created': 'endpoint.create',
  'endpoint.updated': 'endpoint.update',
  'endpoint.enabled': 'endpoint.enable',
  'endpoint.disabled': 'endpoint.disable',
  'endpoint.deleted': 'endpoint.delete',
  'endpoint.secret_rotated': 'endpoint.secret_rotate',
};

@Injectable()
export class EndpointsService {
  constructor(
    @Inject(ENDPOINTS_REPOSITORY) private readonly endpoints: EndpointsRepository,
    @Inject(SECRET_CIPHER) private readonly cipher: SecretCipher,
    private readonly support: EndpointSupport,
    private readonly writer: EndpointWriter,
    private readonly audit: AuditTrail,
  ) {}

  /** Returns the endpoint and its secret in plaintext: the caller sees it here and on the reveal route only. */
  async create(
    scope: AccountScope,
    context: RequestContext,
    input: CreateEndpointDto,
  ): Promise<EndpointDto & { secret: string }> {
    const url = await this.support.checkUrl(input.url);
    const secret = generateSecret();
    const transition = created(
      {
        id: newId('ep'),
        accountId: scope.accountId,
        url,
        events: input.events,
        description: input.description ?? null,
        enabled: input.enabled ?? true,
        secretCiphertext: this.cipher.encrypt(secret),
      },
      new Date(),
    );
    const state = await this.endpoints.withCreateLock(scope, async (locked) => {
      const max = this.support.maxEndpoints();
      if ((await locked.countLive()) >= max) throw new EndpointLimitReached(max);
      return this.writer.write(transition, 0, context.actor, locked);
    });
    await this.record(context, transition, {});
    return { ...presentEndpoint(state), secret };
  }

  async list(scope: AccountScope, page: PageRequest): Promise<Page<EndpointDto>> {
    const rows = await this.endpoints.list(scope, page);
    return toPage(
      rows.map((row) => row.state),
      page.limit,
      presentEndpoint,
    );
  }

  async get(scope: AccountScope, id: string): Promise<EndpointDto> {
    return presentEndpoint((await this.support.load(scope, id)).state);
  }

  async update(
    scope: AccountScope,
    context: RequestContext,
    id: string,
    patch: UpdateEndpointDto,
  ): Promise<EndpointDto> {
    const current = await this.support.load(scope, id);
    const url = patch.url === undefined ? undefined : await this.support.checkUrl(patch.url);
    const transition = patched(current.state, { ...patch, url }, this.cipher, new Date());
    if (!transition) return presentEndpoint(current.state);
    const state = await this.writer.write(transition, current.streamSeq, context.actor);
    await this.record(context, transition, { changed: changedFields(current.state, state) });
    return presentEndpoint(state);
  }

  async setEnabled(
    scope: AccountScope,
    context: RequestContext,
    id: string,
    enabled: boolean,
  ): Promise<EndpointDto> {
    return this.update(scope, context, id, { enabled });
  }

  async remove(scope: AccountScope, context: RequestContext, id: string): Promise<void> {
    const current = await this.support.load(scope, id);
    const transition = deleted(current.state, new Date());
    await this.writer.write(transition, current.streamSeq, context.actor);
    await this.record(context, transition, {});
  }

  private async record(
    context: RequestContext,
    transition: Transition,
    details: Record<string, unknown>,
  ): Promise<void> {
    const state: EndpointState = transition.state;
    await this.audit.record(context, {
      action: ACTIONS[transition.type],
      accountId: state.account_id,
      target: { kind: 'endpoint', id: state.id },
      details: { ...details, version: state.version },
    });
  }
}
