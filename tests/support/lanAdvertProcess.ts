// A terminal's LAN advert on another device, for tests (run inside a network namespace): advertises
// `device` of `store` on `port` through `interface`, prints every terminal it hears as a JSON line,
// and stops after `ms`.
import { LanAdvert } from '../../electron/core/peers/lanAdvert';

const [storeId, deviceId, port, interfaceAddress, ms] = process.argv.slice(2);
const advert = new LanAdvert({
  storeId: storeId!,
  deviceId: deviceId!,
  port: Number(port),
  interfaceAddress: interfaceAddress!,
  onFound: (device, address) => console.log(JSON.stringify({ device, ...address })),
  log: (message) => console.error(message),
});
advert.start();
setTimeout(() => void advert.stop().then(() => process.exit(0)), Number(ms));
