import {
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type InjectionToken,
  type ModuleMetadata,
  type OnApplicationShutdown,
  type OnModuleInit,
  type OptionalFactoryDependency,
} from '@nestjs/common';
import { provisionStreams } from '../streams.js';
import { createJetStreamConnection, JetStreamConnection } from './jetstream.context.js';
import { JETSTREAM, JETSTREAM_MODULE_OPTIONS, type JetStreamModuleOptions } from './tokens.js';

export interface JetStreamModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  useFactory: (...args: never[]) => JetStreamModuleOptions | Promise<JetStreamModuleOptions>;
  inject?: Array<InjectionToken | OptionalFactoryDependency>;
}

/** Health check: `health.register('nats', async () => jetStreamHealth.isConnected())`. */
@Injectable()
export class JetStreamHealth {
  constructor(@Inject(JETSTREAM) private readonly connection: JetStreamConnection) {}

  isConnected(): boolean {
    return this.connection.isConnected();
  }

  /** A round trip to the server, false on timeout or while disconnected. */
  async ping(timeoutMs = 2_000): Promise<boolean> {
    if (!this.isConnected()) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([this.connection.nc.flush().then(() => true), timeout]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}

@Injectable()
class JetStreamLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('JetStream');

  constructor(
    @Inject(JETSTREAM) private readonly connection: JetStreamConnection,
    @Inject(JETSTREAM_MODULE_OPTIONS) private readonly options: JetStreamModuleOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.options.provision === false) return;
    const { jsm, topology } = this.connection;
    await provisionStreams(jsm, topology, {
      ...this.options.streamOptions,
      replicas: this.options.replicas ?? 1,
    });
    this.logger.log(
      `streams provisioned (prefix "${topology.prefix}", replicas ${this.options.replicas ?? 1})`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.shutdown(this.logger);
    this.logger.log('NATS connection drained');
  }
}

/**
 * One NATS connection per app, provided as `JETSTREAM` (`JetStreamContext`), with the streams provisioned on
 * module init and the connection drained on shutdown (after `beforeDrain` hooks). Global: import it once.
 */
@Global()
@Module({})
export class JetStreamModule {
  static forRootAsync(options: JetStreamModuleAsyncOptions): DynamicModule {
    return {
      module: JetStreamModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        { provide: JETSTREAM_MODULE_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] },
        {
          provide: JETSTREAM,
          useFactory: (opts: JetStreamModuleOptions) => createJetStreamConnection(opts, new Logger('NATS')),
          inject: [JETSTREAM_MODULE_OPTIONS],
        },
        JetStreamLifecycle,
        JetStreamHealth,
      ],
      exports: [JETSTREAM, JETSTREAM_MODULE_OPTIONS, JetStreamHealth],
    };
  }
}
