import { AppError } from '../protocol/errors';

const BUSY_RETRY_MS = 1000;

/**
 * A device's pushes on this node are merged one after another (over several nodes, the device's
 * row lock orders them). A few may wait; a device that sends more without waiting for its answers
 * is refused, so its pushes cannot crowd others out of the shared merges.
 */
export class DevicePushes {
  private readonly queues = new Map<string, { tail: Promise<unknown>; count: number }>();

  constructor(private readonly maxWaiting: number) {}

  oneAtATime<T>(deviceId: string, push: () => Promise<T>): Promise<T> {
    const queue = this.queues.get(deviceId) ?? { tail: Promise.resolve(), count: 0 };
    // `count` is the push being merged plus those waiting behind it.
    if (queue.count > this.maxWaiting) {
      return Promise.reject(AppError.wait('RATE_LIMITED', 'This device has pushes waiting already. Wait for their answers before sending more.', BUSY_RETRY_MS));
    }
    queue.count += 1;
    this.queues.set(deviceId, queue);
    const run = queue.tail.then(push, push);
    queue.tail = run.catch(() => {});
    void queue.tail.then(() => {
      queue.count -= 1;
      if (queue.count === 0 && this.queues.get(deviceId) === queue) this.queues.delete(deviceId);
    });
    return run;
  }
}
