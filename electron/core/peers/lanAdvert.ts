// Finding the store's other terminals on the LAN when the server is not there to say where they
// are: each terminal advertises its peer link by multicast DNS (service type `tillsync`, TXT
// `store` and `device`) and listens for the others'. What mDNS says is only a hint of where to
// dial: who answers there is decided by its certificate (peerLink), never by the advert.
import { Bonjour, type Browser, type Service } from 'bonjour-service';

export const LAN_SERVICE_TYPE = 'tillsync';

export interface AdvertisedAddress {
  host: string;
  port: number;
}

export interface LanAdvertOptions {
  storeId: string;
  deviceId: string;
  /** Where this terminal's peer link listens. */
  port: number;
  /** The address of the one interface to advertise and listen on (tests: a namespace's link); every interface by default. */
  interfaceAddress?: string;
  /** Another terminal of this store was heard: where it says its peer link is. */
  onFound(deviceId: string, address: AdvertisedAddress): void;
  log(message: string, fields?: Record<string, unknown>): void;
}

/** An IPv4 address first (link-local IPv6 needs a zone a dialer may not know), else any. */
function addressOf(service: Service): string | undefined {
  const candidates = [service.referer?.address, ...(service.addresses ?? [])].filter((a): a is string => Boolean(a));
  return candidates.find((a) => !a.includes(':')) ?? candidates.find((a) => !a.toLowerCase().startsWith('fe80:'));
}

export class LanAdvert {
  private readonly bonjour: Bonjour;
  private browser: Browser | null = null;

  constructor(private readonly options: LanAdvertOptions) {
    const { interfaceAddress, log } = options;
    // A socket error (no multicast route on this machine, say) must not take the terminal down: the
    // addresses the server gave still work.
    // Handed on to multicast-dns, whose options the library's type does not name. Bound to the
    // wildcard address even with one interface: a socket bound to a unicast address gets no multicast.
    const mdns: Record<string, unknown> = interfaceAddress ? { interface: interfaceAddress, bind: '0.0.0.0' } : {};
    this.bonjour = new Bonjour(mdns, (error: unknown) =>
      log('the LAN advert stopped', { error: error instanceof Error ? error.message : String(error) }),
    );
  }

  start(): void {
    const { storeId, deviceId, port, onFound } = this.options;
    // The device id makes the name unique on the LAN, so no probing for a free name is needed.
    this.bonjour.publish({ name: `tillsync-${deviceId}`, type: LAN_SERVICE_TYPE, port, txt: { store: storeId, device: deviceId }, probe: false });
    const heard = (service: Service) => {
      const txt = (service.txt ?? {}) as Record<string, unknown>;
      if (txt.store !== storeId || typeof txt.device !== 'string' || txt.device === deviceId) return;
      const host = addressOf(service);
      if (host && Number.isInteger(service.port) && service.port > 0) onFound(txt.device, { host, port: service.port });
    };
    this.browser = this.bonjour.find({ type: LAN_SERVICE_TYPE }, heard);
    this.browser.on('srv-update', heard);
  }

  /** Asks the LAN again (after a link came back up, say). */
  refresh(): void {
    this.browser?.update();
  }

  stop(): Promise<void> {
    this.browser?.stop();
    return new Promise((resolve) => this.bonjour.unpublishAll(() => this.bonjour.destroy(() => resolve())));
  }
}
