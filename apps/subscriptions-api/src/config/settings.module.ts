import { Global, Module, type DynamicModule } from '@nestjs/common';
import { DnsHostResolver } from '../endpoints/url-policy/dns-host-resolver.js';
import { HOST_RESOLVER, type HostResolver } from '../endpoints/url-policy/url-policy.js';
import { AppSettings } from './env.js';

/** The validated settings, and the process-level collaborators tests may replace (DNS). */
@Global()
@Module({})
export class SettingsModule {
  static forRoot(settings: AppSettings, hostResolver: HostResolver = new DnsHostResolver()): DynamicModule {
    return {
      module: SettingsModule,
      providers: [
        { provide: AppSettings, useValue: settings },
        { provide: HOST_RESOLVER, useValue: hostResolver },
      ],
      exports: [AppSettings, HOST_RESOLVER],
    };
  }
}
